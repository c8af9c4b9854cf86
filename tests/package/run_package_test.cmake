# CTest driver (cmake -P): install the build tree into a scratch prefix, then configure, build
# and run the consumer project against it. Inputs: SFKIT_BUILD_DIR, SFKIT_CONSUMER_DIR,
# SCRATCH_DIR, CONSUMER_GENERATOR, CONSUMER_CXX, and the build's own CONSUMER_CXX_FLAGS and
# CONSUMER_LINKER_FLAGS (so a sanitizer build's library links into an equally built consumer).
file(REMOVE_RECURSE "${SCRATCH_DIR}")
set(prefix "${SCRATCH_DIR}/prefix")
set(build "${SCRATCH_DIR}/build")

function(run what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
    endif()
    set(last_output "${out}" PARENT_SCOPE)
endfunction()

run("install" ${CMAKE_COMMAND} --install "${SFKIT_BUILD_DIR}" --prefix "${prefix}")
if(NOT EXISTS "${prefix}/lib/cmake/sfkit/sfkitConfig.cmake" AND
   NOT EXISTS "${prefix}/lib64/cmake/sfkit/sfkitConfig.cmake")
    message(FATAL_ERROR "sfkitConfig.cmake was not installed under ${prefix}")
endif()
run("configure consumer" ${CMAKE_COMMAND} -S "${SFKIT_CONSUMER_DIR}" -B "${build}"
    -G "${CONSUMER_GENERATOR}" -DCMAKE_CXX_COMPILER=${CONSUMER_CXX}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Debug
    "-DCMAKE_CXX_FLAGS=${CONSUMER_CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${CONSUMER_LINKER_FLAGS}")
run("build consumer" ${CMAKE_COMMAND} --build "${build}")
run("run consumer" "${build}/sfkit_consumer")
if(NOT last_output MATCHES "sfkit consumer ok: 001xx000003DGb2AAG")
    message(FATAL_ERROR "consumer printed: ${last_output}")
endif()
message(STATUS "${last_output}")
