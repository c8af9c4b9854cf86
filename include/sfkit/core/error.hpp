// sfkit error values: what every fallible call in libsfkit returns instead of throwing.
// Not for server-internal control flow (the server uses ApiError, see src/server/http).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <boost/system/result.hpp>

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

/// ADL hook used by boost::system::result<T, Error>::value().
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

/// The return type of every fallible libsfkit call.
template <class T>
using Result = boost::system::result<T, Error>;

/// Shorthand for building an error value.
Error MakeError(ErrorKind kind, std::string code, std::string message, int http_status = 0);

}  // namespace sfkit
