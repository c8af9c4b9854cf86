// Errors as the user should read them: transport failures worded with the org's URL (a TLS
// handshake with a plain-HTTP org, nothing listening, an unknown host) and "did you mean"
// suggestions for mistyped objects and fields, taken from the org's own describe answers.
// ReportError (client_support.hpp) applies both to every error a command reports.
#pragma once

#include <string>
#include <vector>

#include "sfkit/client/oauth.hpp"
#include "sfkit/core/error.hpp"

#include "commands.hpp"

namespace sfkit::cli {

// What the command talks to. A CLI process runs one command, so this is process-wide state,
// set as the command learns it and read only when an error is reported.

/// The org URL a login command talks to (set by ResolveLoginUrl).
void NoteOrgUrl(std::string url);
/// The stored login a command uses (set by ConnectStored): its URL, and the token that lets
/// ReportError ask the org's describe for suggestions.
void NoteStoredLogin(const ClientCommonOptions& common,
                     const client::Token& token,
                     std::string api_version);
/// The sObject a record command names, so that a NOT_FOUND for an unknown object gets a
/// suggestion.
void NoteSObject(std::string sobject);

/// `error` with a transport failure reworded to name the org URL: https:// to a server that
/// answers plain HTTP ("does not speak TLS; did you mean http://...?"), connection refused, an
/// unknown host. Other errors are returned unchanged.
Error ExplainError(Error error);

/// Suggestions for an object or field the org does not know: "Did you mean 'Account'?" for
/// INVALID_TYPE (and NOT_FOUND of a noted sObject that the org does not list), the nearest
/// field names for INVALID_FIELD. Costs one describe request; empty without a stored login or
/// when nothing is near.
std::vector<std::string> SuggestionsFor(const Error& error);

}  // namespace sfkit::cli
