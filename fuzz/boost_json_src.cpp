// Boost.JSON compiled from its headers into the instrumented fuzz library (instead of linking
// Debian's prebuilt libboost_json), so that libFuzzer sees coverage inside the JSON parser too.
#include <boost/json/src.hpp>
