// sfkit error values: what every fallible call in libsfkit returns instead of throwing.
// Not for server-internal control flow (the server uses ApiError, see src/server/http).
#pragma once

#include <iosfwd>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace sfkit {

/// Broad class of a failure; decides the CLI exit code (see docs/cli.md).
enum class ErrorKind {
    kInvalidArgument,  ///< the caller passed something unusable (bad id, missing option)
    kTransport,        ///< could not connect, TLS failure, connection reset
    kTimeout,          ///< connect or total timeout elapsed
    kAuth,             ///< the token endpoint refused (`error` / `error_description`)
    kSession,          ///< a REST call answered 401 INVALID_SESSION_ID
    kApi,              ///< any other Salesforce error answer (`errorCode` / `message`)
    kProtocol,         ///< the peer answered something that is not Salesforce-shaped
    kIo,               ///< local file or config problem
    kInternal,         ///< a bug in sfkit
};

/// The enumerator's name without the `k` ("InvalidArgument", "Transport", ...).
std::string_view to_string(ErrorKind kind) noexcept;
std::ostream& operator<<(std::ostream& os, ErrorKind kind);

/// One error as Salesforce reports it, plus where it came from.
struct Error {
    ErrorKind kind = ErrorKind::kInternal;
    int http_status = 0;              ///< 0 when no HTTP answer was received
    std::string code;                 ///< Salesforce `errorCode`, or the OAuth `error` value
    std::string message;              ///< `message` / `error_description` / local explanation
    std::vector<std::string> fields;  ///< `fields` of a DML error, if any
    std::vector<Error> more;          ///< further errors of the same answer (REST error arrays)
    /// `300 Multiple Choices` (an external id matching several records, §B.10): the URLs of the
    /// matching records, as the answer lists them. Empty for every other error.
    std::vector<std::string> candidates;

    /// "CODE: message" (or just the message when there is no code).
    std::string ToString() const;
};

/// Thrown only by `Result<T>::value()` on an error; carries the Error.
class Exception : public std::runtime_error {
public:
    explicit Exception(Error error);
    const Error& error() const noexcept { return error_; }

private:
    Error error_;
};

/// Prints Error::ToString().
std::ostream& operator<<(std::ostream& os, const Error& error);

namespace detail {
[[noreturn]] void ThrowError(const Error& e);
}  // namespace detail

/// The return type of every fallible libsfkit call: a T or an Error. Its interface is the part of
/// boost::system::result that sfkit uses (has_value/has_error/operator bool, value() that throws
/// sfkit::Exception, error() that is a default Error when a value is held, operator*/->,
/// emplace), so that the public headers need no Boost.
template <class T>
class Result {
public:
    Result() requires std::is_default_constructible_v<T> : v_(std::in_place_index<0>) {}
    template <class U = T>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, Result> &&
             !std::is_same_v<std::remove_cvref_t<U>, Error>) Result(U&& value)
        : v_(std::in_place_index<0>, std::forward<U>(value)) {}            // NOLINT
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

    bool has_value() const noexcept { return v_.index() == 0; }
    bool has_error() const noexcept { return v_.index() == 1; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & {
        if (has_error()) {
            detail::ThrowError(std::get<1>(v_));
        }
        return std::get<0>(v_);
    }
    const T& value() const& {
        if (has_error()) {
            detail::ThrowError(std::get<1>(v_));
        }
        return std::get<0>(v_);
    }
    T&& value() && { return std::move(value()); }
    const T&& value() const&& { return std::move(value()); }

    T& operator*() & { return std::get<0>(v_); }
    const T& operator*() const& { return std::get<0>(v_); }
    T&& operator*() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &std::get<0>(v_); }
    const T* operator->() const { return &std::get<0>(v_); }

    /// The error; a default-constructed Error when the result holds a value.
    Error error() const& { return has_error() ? std::get<1>(v_) : Error{}; }
    Error error() && { return has_error() ? std::get<1>(std::move(v_)) : Error{}; }

    template <class... A>
    T& emplace(A&&... a) {
        return v_.template emplace<0>(std::forward<A>(a)...);
    }

private:
    std::variant<T, Error> v_;
};

/// Result of a call that returns nothing but may fail.
template <>
class Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT

    bool has_value() const noexcept { return !failed_; }
    bool has_error() const noexcept { return failed_; }
    explicit operator bool() const noexcept { return has_value(); }
    void value() const {
        if (failed_) {
            detail::ThrowError(error_);
        }
    }
    void operator*() const {}
    Error error() const& { return error_; }
    Error error() && { return std::move(error_); }
    void emplace() {
        error_ = Error{};
        failed_ = false;
    }

private:
    Error error_;
    bool failed_ = false;
};

/// Shorthand for building an error value.
Error MakeError(ErrorKind kind, std::string code, std::string message, int http_status = 0);

}  // namespace sfkit
