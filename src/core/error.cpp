// Error values and the exception thrown by Result<T>::value().
#include "sfkit/core/error.hpp"

#include <ostream>

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

void detail::ThrowError(const Error& e) {
    throw Exception(e);
}

std::string_view to_string(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::kInvalidArgument:
            return "InvalidArgument";
        case ErrorKind::kTransport:
            return "Transport";
        case ErrorKind::kTimeout:
            return "Timeout";
        case ErrorKind::kAuth:
            return "Auth";
        case ErrorKind::kSession:
            return "Session";
        case ErrorKind::kApi:
            return "Api";
        case ErrorKind::kProtocol:
            return "Protocol";
        case ErrorKind::kIo:
            return "Io";
        case ErrorKind::kInternal:
            return "Internal";
    }
    return "Unknown";
}

std::ostream& operator<<(std::ostream& os, ErrorKind kind) {
    return os << to_string(kind);
}

std::ostream& operator<<(std::ostream& os, const Error& error) {
    return os << error.ToString();
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
