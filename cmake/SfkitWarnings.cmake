# Warning flags for sfkit's own targets (never for third-party code).
function(sfkit_set_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
                           -Wnon-virtual-dtor -Wimplicit-fallthrough)
    # -Wshadow=local is GCC's spelling; clang (used for the libFuzzer build) calls it this way.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        # GCC 12 at -O2 reports std::optional<chrono::time_point> members as maybe-uninitialized
        # (a known false positive); keep the warning visible but do not fail release builds on it.
        target_compile_options(${target} PRIVATE -Wshadow=local -Wno-error=maybe-uninitialized)
    else()
        target_compile_options(${target} PRIVATE -Wshadow-uncaptured-local)
    endif()
    if(SFKIT_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
