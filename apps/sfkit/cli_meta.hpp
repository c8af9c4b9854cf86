// What the CLI says about its own command line, derived from the CLI11 definitions built in
// main.cpp (so nothing here is a hand-kept list that could drift): "did you mean" for mistyped
// commands and flags, and the shell completion scripts of `sfkit completion bash|zsh|fish`.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace sfkit::cli {

/// Before parsing: a word where a (sub)command is expected that names none gets a usage
/// message with the nearest command names (suggest.hpp); "" when every command word is known.
std::string CheckCommandWords(CLI::App& app, int argc, char** argv);

/// After a failed parse: the first `--flag` the addressed command does not have, as a usage
/// message with the nearest flags of that command; "" when every flag is known.
std::string CheckFlagWords(CLI::App& app, int argc, char** argv);

/// The command a command line addresses, as its words after the program ("login web"; "" for
/// none).
std::string CommandPath(CLI::App& app, int argc, char** argv);

/// The completion script for `shell` (bash, zsh or fish) of the program `program`, listing
/// every command, subcommand and flag of `app`; "" for another shell.
std::string CompletionScript(CLI::App& app, const std::string& shell, const std::string& program);

}  // namespace sfkit::cli
