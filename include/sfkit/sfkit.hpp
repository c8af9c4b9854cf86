// libsfkit in one include: the client library's public headers (standard library only; no Boost,
// libcurl or OpenSSL headers). The testing component has its own: <sfkit/testing/local_org.hpp>.
#pragma once

#include "sfkit/client/composite.hpp"
#include "sfkit/client/datetime.hpp"
#include "sfkit/client/describe.hpp"
#include "sfkit/client/dotenv.hpp"
#include "sfkit/client/http.hpp"
#include "sfkit/client/oauth.hpp"
#include "sfkit/client/query.hpp"
#include "sfkit/client/record.hpp"
#include "sfkit/client/rest_client.hpp"
#include "sfkit/client/token_store.hpp"
#include "sfkit/core/error.hpp"
#include "sfkit/core/id.hpp"
#include "sfkit/version.hpp"
