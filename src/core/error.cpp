// Error values and the exception thrown by Result<T>::value().
#include "sfkit/core/error.hpp"

namespace sfkit {

std::string Error::ToString() const {
    if (code.empty()) {
        return message;
    }
    if (message.empty()) {
        return code;
    }
    return code + ": " + message;
}

Exception::Exception(Error error)
    : std::runtime_error(error.ToString()), error_(std::move(error)) {}

void throw_exception_from_error(const Error& e, const boost::source_location& /*loc*/) {
    throw Exception(e);
}

Error MakeError(ErrorKind kind, std::string code, std::string message, int http_status) {
    Error e;
    e.kind = kind;
    e.code = std::move(code);
    e.message = std::move(message);
    e.http_status = http_status;
    return e;
}

}  // namespace sfkit
