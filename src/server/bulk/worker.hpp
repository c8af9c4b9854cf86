// The background worker of Bulk jobs: a small thread pool owned (through BulkServices) by
// LocalOrg, started with it and stopped before the database closes. Job processing runs here,
// never on the request threads. A job runs as a sequence of steps (one chunk each, for
// instance): a step does a bounded piece of work, records its progress in the database, and
// posts the next step. So Stop() only waits for the steps running now, and a job cut short
// (stop, crash) resumes from its recorded progress when the org starts again: each job kind
// re-posts its unfinished jobs at start (BulkServices::Start).
#pragma once

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
    /// Waits until no step is queued or running (tests).
    void Drain();

private:
    void Run();

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::condition_variable idle_cv_;
    std::deque<std::function<void()>> queue_;
    std::size_t running_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace sfkit::server::bulk
