// Background worker of Bulk jobs (see worker.hpp).
#include "server/bulk/worker.hpp"

#include <exception>

#include <spdlog/spdlog.h>

namespace sfkit::server::bulk {

Worker::Worker(std::size_t threads) {
    for (std::size_t i = 0; i < (threads == 0 ? 1 : threads); ++i) {
        threads_.emplace_back([this] { Run(); });
    }
}

Worker::~Worker() {
    Stop();
}

void Worker::Post(std::function<void()> step) {
    {
        std::lock_guard lock(mu_);
        if (stopping_) {
            return;
        }
        queue_.push_back(std::move(step));
    }
    cv_.notify_one();
}

void Worker::Stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        queue_.clear();
    }
    cv_.notify_all();
    poll_cv_.notify_all();
    if (poller_.joinable()) {
        poller_.join();
    }
    for (auto& t : threads_) {
        if (t.joinable()) {
            t.join();
        }
    }
    idle_cv_.notify_all();
}

bool Worker::Stopping() const {
    std::lock_guard lock(mu_);
    return stopping_;
}

void Worker::Drain() {
    std::unique_lock lock(mu_);
    idle_cv_.wait(lock, [&] {
        return (queue_.empty() && running_ == 0 && !kicked_ && !polling_) || stopping_;
    });
}

void Worker::Poll(std::function<void()> poll, std::chrono::milliseconds every) {
    std::lock_guard lock(mu_);
    if (stopping_ || poller_.joinable()) {
        return;
    }
    poll_ = std::move(poll);
    kicked_ = true;  // a first poll at once: work left by a node that stopped
    poller_ = std::thread([this, every] { RunPoller(every); });
}

void Worker::Kick() {
    {
        std::lock_guard lock(mu_);
        if (stopping_ || !poll_) {
            return;
        }
        kicked_ = true;
    }
    poll_cv_.notify_all();
}

void Worker::RunPoller(std::chrono::milliseconds every) {
    while (true) {
        {
            std::unique_lock lock(mu_);
            poll_cv_.wait_for(lock, every, [&] { return stopping_ || kicked_; });
            if (stopping_) {
                return;
            }
            kicked_ = false;
            polling_ = true;
        }
        try {
            poll_();
        } catch (const std::exception& e) {
            spdlog::error("bulk worker: claiming work failed: {}", e.what());
        } catch (...) {
            spdlog::error("bulk worker: claiming work failed");
        }
        {
            std::lock_guard lock(mu_);
            polling_ = false;
        }
        idle_cv_.notify_all();
    }
}

void Worker::Run() {
    while (true) {
        std::function<void()> step;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_) {
                return;
            }
            step = std::move(queue_.front());
            queue_.pop_front();
            ++running_;
        }
        try {
            step();
        } catch (const std::exception& e) {
            spdlog::error("bulk worker: a step failed: {}", e.what());
        } catch (...) {
            spdlog::error("bulk worker: a step failed");
        }
        {
            std::lock_guard lock(mu_);
            --running_;
        }
        idle_cv_.notify_all();
    }
}

}  // namespace sfkit::server::bulk
