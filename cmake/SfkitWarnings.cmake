# Warning flags for sfkit's own targets (never for third-party code).
function(sfkit_set_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow=local
                           -Wnon-virtual-dtor -Wimplicit-fallthrough)
    if(SFKIT_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
