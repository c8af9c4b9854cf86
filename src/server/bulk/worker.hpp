// The background worker of Bulk jobs: a small thread pool owned (through BulkServices) by
// LocalOrg, started with it and stopped before the database closes. Job processing runs here,
// never on the request threads. A job runs as a sequence of steps (one chunk each, for
// instance): a step does a bounded piece of work, records its progress in the database, and
// posts the next step. So Stop() only waits for the steps running now, and a job cut short
// (stop, crash) resumes from its recorded progress when the org starts again: each job kind
// re-posts its unfinished jobs at start (BulkServices::Start).
//
// Work shared by several nodes (issue 13) is not posted directly: a *poller* (Poll) claims it
// from the database (job_leases.hpp) every `every` and whenever Kick() is called (a job closed
// on this node, a job finished here), and posts the steps of what it claimed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sfkit::server::bulk {

class Worker {
public:
    explicit Worker(std::size_t threads);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    /// Queues `step`; steps start in the order posted, on any of the threads. An exception
    /// escaping a step is logged and dropped (a step reports its own failures on its job).
    /// Ignored once Stop() began.
    void Post(std::function<void()> step);
    /// No new step starts; waits for the running ones; steps still queued are dropped (their
    /// jobs resume at the next start). Idempotent.
    void Stop();
    /// True once Stop() began; a step may check it to end early at a safe point.
    bool Stopping() const;
    /// Waits until no step is queued or running and no poll is pending or running (tests).
    void Drain();
    /// Starts the poller: `poll` runs on a thread of its own every `every`, and soon after each
    /// Kick(); it claims work and Post()s its steps. Once, before Kick.
    void Poll(std::function<void()> poll, std::chrono::milliseconds every);
    /// Asks for a poll now (ignored without a poller or once Stop() began).
    void Kick();

private:
    void Run();
    void RunPoller(std::chrono::milliseconds every);

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::condition_variable idle_cv_;
    std::deque<std::function<void()>> queue_;
    std::size_t running_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
    std::function<void()> poll_;
    bool kicked_ = false;  ///< a poll was asked for and has not started
    bool polling_ = false;
    std::condition_variable poll_cv_;
    std::thread poller_;
};

}  // namespace sfkit::server::bulk
