// fork/exec helpers for the CLI tests (see subprocess.hpp).
#include "support/subprocess.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/pg_scratch.hpp"
#include "support/test_org.hpp"

extern char** environ;

namespace sfkit::test {
namespace {

std::vector<std::string> BuildEnv(
    const std::map<std::string, std::optional<std::string>>& changes) {
    std::vector<std::string> out;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        const std::string name = entry.substr(0, entry.find('='));
        if (changes.count(name) == 0) {
            out.push_back(entry);
        }
    }
    for (const auto& [name, value] : changes) {
        if (value) {
            out.push_back(name + "=" + *value);
        }
    }
    return out;
}

/// Forks and execs; the child's stdin/stdout/stderr are the given fds (-1: /dev/null).
pid_t Spawn(const std::vector<std::string>& argv,
            const ProcessOptions& options,
            int in_fd,
            int out_fd,
            int err_fd) {
    std::vector<std::string> env = BuildEnv(options.env);
    std::vector<char*> cargv;
    for (const auto& a : argv) {
        cargv.push_back(const_cast<char*>(a.c_str()));
    }
    cargv.push_back(nullptr);
    std::vector<char*> cenv;
    for (const auto& e : env) {
        cenv.push_back(const_cast<char*>(e.c_str()));
    }
    cenv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        const int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(in_fd >= 0 ? in_fd : devnull, 0);
        ::dup2(out_fd >= 0 ? out_fd : devnull, 1);
        ::dup2(err_fd >= 0 ? err_fd : devnull, 2);
        if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) {
            ::_exit(126);
        }
        if (options.max_open_files > 0) {
            const rlimit lim{static_cast<rlim_t>(options.max_open_files),
                             static_cast<rlim_t>(options.max_open_files)};
            if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) {
                ::_exit(125);
            }
        }
        ::execve(cargv[0], cargv.data(), cenv.data());
        ::_exit(127);
    }
    return pid;
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
    if (options.measure_rss) {
        // GNU time forks the program from its own small image and writes its ru_maxrss.
        char path[] = "/tmp/sfkit-rss-XXXXXX";
        const int fd = ::mkstemp(path);
        if (fd < 0) {
            throw std::runtime_error("mkstemp failed");
        }
        ::close(fd);
        std::vector<std::string> timed = {"/usr/bin/time", "-f", "%M", "-o", path};
        timed.insert(timed.end(), argv.begin(), argv.end());
        ProcessOptions plain = options;
        plain.measure_rss = false;
        ProcessResult r = RunProcess(timed, plain);
        FILE* f = std::fopen(path, "r");
        long kb = 0;
        if (f != nullptr) {
            // "Command exited with non-zero status N" may come first; the figure is last.
            char line[256];
            while (std::fgets(line, sizeof line, f) != nullptr) {
                kb = std::atol(line);
            }
            std::fclose(f);
        }
        ::unlink(path);
        if (kb <= 0) {
            throw std::runtime_error("no peak RSS from /usr/bin/time (is GNU time installed?)");
        }
        r.max_rss_kb = kb;
        return r;
    }
    int in_pipe[2];
    int out_pipe[2];
    int err_pipe[2];
    if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 ||
        ::pipe2(err_pipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const pid_t pid = Spawn(argv, options, in_pipe[0], out_pipe[1], err_pipe[1]);
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    // Small inputs fit the pipe buffer; tests never send more.
    if (!options.input.empty()) {
        [[maybe_unused]] auto n = ::write(in_pipe[1], options.input.data(), options.input.size());
    }
    ::close(in_pipe[1]);

    ProcessResult result;
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            ::kill(pid, SIGKILL);
            break;
        }
        if (::poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) {
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
                char buf[4096];
                const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
                if (n > 0) {
                    (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
                } else {
                    ::close(fds[i].fd);
                    fds[i].fd = -1;
                    --open_fds;
                }
            }
        }
    }
    for (auto& f : fds) {
        if (f.fd >= 0) {
            ::close(f.fd);
        }
    }
    int status = 0;
    struct rusage usage {};
    ::wait4(pid, &status, 0, &usage);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.max_rss_kb = usage.ru_maxrss;
    return result;
}

namespace {
ServeConfig InMemory(const std::string& org_def_file) {
    ServeConfig config;
    config.org_def_file = org_def_file;
    return config;
}
}  // namespace

ServeProcess::ServeProcess(const std::string& org_def_file)
    : ServeProcess(InMemory(org_def_file)) {}

ServeProcess::ServeProcess(const ServeConfig& config) {
    int out_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    std::vector<std::string> argv = {
        SFKIT_BINARY, "serve", "--port", "0", "--threads", "2", "--log-level", "warn"};
    const bool names_database =
        std::find(config.extra_args.begin(), config.extra_args.end(), "--database") !=
        config.extra_args.end();
    if (!names_database && TestOrgsOnPostgres()) {
        if (config.data_dir.empty()) {
            // In memory: a schema of its own, and a directory for the node's files.
            pg_ = std::make_unique<PgScratch>(*PgTestServer());
            files_ = std::make_unique<TempDir>();
            argv.insert(argv.end(), {"--database", pg_->Target(), "--data-dir", files_->Path()});
        } else {
            argv.insert(
                argv.end(),
                {"--database", OrgDatabase(config.data_dir), "--data-dir", config.data_dir});
        }
    } else if (config.data_dir.empty()) {
        argv.push_back("--in-memory");
    } else {
        argv.insert(argv.end(), {"--data-dir", config.data_dir});
    }
    if (!config.org_def_file.empty()) {
        argv.insert(argv.end(), {"--org-def", config.org_def_file});
    }
    argv.insert(argv.end(), config.extra_args.begin(), config.extra_args.end());
    ProcessOptions o;
    o.max_open_files = config.max_open_files;
    pid_ = Spawn(argv, o, -1, out_pipe[1], -1);
    ::close(out_pipe[1]);
    out_fd_ = out_pipe[0];
    std::string seen;
    const auto deadline = std::chrono::steady_clock::now() + config.ready_timeout;
    const std::string marker = "ready at http://127.0.0.1:";
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd p{out_fd_, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) {
            continue;
        }
        char buf[1024];
        const ssize_t n = ::read(out_fd_, buf, sizeof buf);
        if (n <= 0) {
            break;
        }
        seen.append(buf, static_cast<std::size_t>(n));
        const auto at = seen.find(marker);
        if (at != std::string::npos) {
            const auto end = seen.find('\n', at);
            if (end != std::string::npos) {
                port_ = static_cast<std::uint16_t>(
                    std::stoi(seen.substr(at + marker.size(), end - at - marker.size())));
                return;
            }
        }
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    ::close(out_fd_);
    throw std::runtime_error("sfkit serve did not become ready; output: " + seen);
}

ServeProcess::~ServeProcess() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        int status = 0;
        for (int i = 0; i < 100; ++i) {
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                break;
            }
            ::usleep(50'000);
        }
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
        }
    }
    if (out_fd_ >= 0) {
        ::close(out_fd_);
    }
}

void ServeProcess::KillHard() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
}

TempDir::TempDir() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("sfkit_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++)))
                .string();
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

}  // namespace sfkit::test
