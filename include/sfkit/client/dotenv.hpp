// `.env` files: the KEY=VALUE settings files users keep next to their scripts (and that Postman
// environments export to). Parsing only; which keys mean what is the caller's business.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sfkit/core/error.hpp"

namespace sfkit::client {

using DotEnv = std::vector<std::pair<std::string, std::string>>;

/// Parses `.env` text. Per line: optional `export `, `KEY=VALUE`; blank lines and lines starting
/// with `#` are skipped. Values may be unquoted (trimmed; ` #` starts a comment), single-quoted
/// (literal) or double-quoted (`\n`, `\t`, `\"`, `\\` escapes; may span lines). Keys are
/// `[A-Za-z_][A-Za-z0-9_.-]*`. A later duplicate wins on lookup. Fails with kInvalidArgument
/// (code DOTENV_SYNTAX, message naming the line) on anything else.
Result<DotEnv> ParseDotEnv(std::string_view text);

/// Reads and parses a file; kIo (code FILE_NOT_FOUND or IO_ERROR) when it cannot be read.
Result<DotEnv> LoadDotEnvFile(const std::string& path);

/// The value of the last entry named `key` (exact, case-sensitive), or nullptr.
const std::string* DotEnvLookup(const DotEnv& env, std::string_view key) noexcept;

}  // namespace sfkit::client
