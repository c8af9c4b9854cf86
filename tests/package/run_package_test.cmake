# CTest driver (cmake -P) of the package tests: an install tree of sfkit, and consumers built
# against it the three ways a user would: find_package(sfkit) (tests/package), pkg-config (the
# same main.cpp compiled by hand) and find_package(sfkit COMPONENTS testing) with GoogleTest
# (examples/testing, built and run).
#   MODE=static  installs the calling build tree itself (package_find_package).
#   MODE=shared  first configures and builds libsfkit again with BUILD_SHARED_LIBS=ON, then
#                installs that and checks the find_package and pkg-config consumers against it
#                (package_shared). SHARED_WITH_SERVER=ON also builds the server and
#                sfkit::testing shared and runs the example against them (about 90 more
#                compilations; off in CTest to spare the shared machines).
# Inputs: MODE, SFKIT_SOURCE_DIR, SFKIT_BUILD_DIR, SCRATCH_DIR, CONSUMER_GENERATOR, CONSUMER_CXX,
# CONSUMER_BUILD_TYPE, CONSUMER_LAUNCHER, and the build's own CONSUMER_CXX_FLAGS and
# CONSUMER_LINKER_FLAGS (so a sanitizer build's library links into an equally built consumer).
file(REMOVE_RECURSE "${SCRATCH_DIR}/prefix" "${SCRATCH_DIR}/consumer" "${SCRATCH_DIR}/example"
     "${SCRATCH_DIR}/pkgconfig")
set(prefix "${SCRATCH_DIR}/prefix")
if(NOT CONSUMER_BUILD_TYPE)
    set(CONSUMER_BUILD_TYPE Debug)
endif()

function(run what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
    endif()
    set(last_output "${out}" PARENT_SCOPE)
endfunction()

# ---- the install tree ------------------------------------------------------------------------
set(with_testing ON)
if(MODE STREQUAL "shared" AND NOT SHARED_WITH_SERVER)
    set(with_testing OFF)
endif()
set(build_dir "${SFKIT_BUILD_DIR}")
if(MODE STREQUAL "shared")
    # Kept between runs (ninja and ccache make a second run quick).
    set(build_dir "${SCRATCH_DIR}/shared-build")
    run("configure shared sfkit" ${CMAKE_COMMAND} -S "${SFKIT_SOURCE_DIR}" -B "${build_dir}"
        -G "${CONSUMER_GENERATOR}" -DCMAKE_CXX_COMPILER=${CONSUMER_CXX}
        -DCMAKE_CXX_COMPILER_LAUNCHER=${CONSUMER_LAUNCHER}
        -DCMAKE_BUILD_TYPE=${CONSUMER_BUILD_TYPE} -DBUILD_SHARED_LIBS=ON -DSFKIT_WERROR=ON
        -DSFKIT_BUILD_SERVER=${with_testing} -DSFKIT_BUILD_CLI=OFF -DSFKIT_BUILD_TESTS=OFF
        -DSFKIT_BUILD_BENCH=OFF
        "-DCMAKE_CXX_FLAGS=${CONSUMER_CXX_FLAGS}"
        "-DCMAKE_SHARED_LINKER_FLAGS=${CONSUMER_LINKER_FLAGS}"
        "-DCMAKE_EXE_LINKER_FLAGS=${CONSUMER_LINKER_FLAGS}")
    run("build shared sfkit" ${CMAKE_COMMAND} --build "${build_dir}")
endif()
run("install" ${CMAKE_COMMAND} --install "${build_dir}" --prefix "${prefix}")
set(libdir "${prefix}/lib")
if(NOT EXISTS "${libdir}/cmake/sfkit/sfkitConfig.cmake")
    set(libdir "${prefix}/lib64")
endif()
set(expected_files lib/cmake/sfkit/sfkitConfig.cmake lib/cmake/sfkit/sfkitConfigVersion.cmake
    lib/pkgconfig/sfkit.pc include/sfkit/sfkit.hpp include/sfkit/version.hpp)
if(with_testing)
    list(APPEND expected_files lib/cmake/sfkit/sfkitTestingTargets.cmake
         include/sfkit/testing/local_org.hpp)
else()
    if(EXISTS "${prefix}/include/sfkit/testing")
        message(FATAL_ERROR "include/sfkit/testing installed without the testing component")
    endif()
endif()
if(MODE STREQUAL "shared")
    list(APPEND expected_files lib/libsfkit.so)
    if(with_testing)
        list(APPEND expected_files lib/libsfkit_testing.so lib/libsfkit_server.so)
    endif()
else()
    list(APPEND expected_files lib/libsfkit.a lib/libsfkit_testing.a lib/libsfkit_server.a)
endif()
foreach(f ${expected_files})
    string(REPLACE "lib/" "${libdir}/" f_at "${f}")
    string(REPLACE "include/" "${prefix}/include/" f_at "${f_at}")
    if(NOT EXISTS "${f_at}")
        message(FATAL_ERROR "${f} was not installed (looked for ${f_at})")
    endif()
endforeach()

# Dependencies are minimum versions: an installed sfkit keeps working after a Boost upgrade.
file(READ "${libdir}/cmake/sfkit/sfkitConfig.cmake" config_text)
if(config_text MATCHES "EXACT")
    message(FATAL_ERROR "sfkitConfig.cmake pins an exact dependency version")
endif()

# The project() version, as the package, the header and pkg-config report it.
file(STRINGS "${SFKIT_SOURCE_DIR}/CMakeLists.txt" project_line REGEX "^project\\(sfkit VERSION")
string(REGEX REPLACE ".*VERSION ([0-9.]+).*" "\\1" version "${project_line}")

# ---- find_package(sfkit) -------------------------------------------------------------------
# build_consumer(<what> <source dir> <build dir>): configures a CMake project against the install
# tree with the build's compiler and flags, and builds it.
function(build_consumer what source_dir build_dir)
    run("configure ${what}" ${CMAKE_COMMAND} -S "${source_dir}" -B "${build_dir}"
        -G "${CONSUMER_GENERATOR}" -DCMAKE_CXX_COMPILER=${CONSUMER_CXX}
        -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=${CONSUMER_BUILD_TYPE}
        "-DCMAKE_CXX_FLAGS=${CONSUMER_CXX_FLAGS}"
        "-DCMAKE_EXE_LINKER_FLAGS=${CONSUMER_LINKER_FLAGS}")
    run("build ${what}" ${CMAKE_COMMAND} --build "${build_dir}")
endfunction()

build_consumer(consumer "${SFKIT_SOURCE_DIR}/tests/package" "${SCRATCH_DIR}/consumer")
run("run consumer" "${SCRATCH_DIR}/consumer/sfkit_consumer")
if(NOT last_output MATCHES "sfkit ${version} consumer ok: 001xx000003DGb2AAG")
    message(FATAL_ERROR "consumer printed: ${last_output}")
endif()
message(STATUS "find_package: ${last_output}")
if(MODE STREQUAL "shared")
    run("readelf" readelf -d "${SCRATCH_DIR}/consumer/sfkit_consumer")
    if(NOT last_output MATCHES "NEEDED[^\n]*libsfkit\\.so")
        message(FATAL_ERROR "the consumer does not link libsfkit.so:\n${last_output}")
    endif()
endif()

# ---- pkg-config ----------------------------------------------------------------------------
set(ENV{PKG_CONFIG_PATH} "${libdir}/pkgconfig")
set(pc_args --cflags --libs sfkit)
if(NOT MODE STREQUAL "shared")
    set(pc_args --static ${pc_args})
endif()
run("pkg-config --modversion" pkg-config --modversion sfkit)
string(STRIP "${last_output}" pc_version)
if(NOT pc_version STREQUAL version)
    message(FATAL_ERROR "pkg-config says sfkit ${pc_version}, project() says ${version}")
endif()
run("pkg-config" pkg-config ${pc_args})
separate_arguments(pc_flags UNIX_COMMAND "${last_output}")
separate_arguments(cxx_flags UNIX_COMMAND "${CONSUMER_CXX_FLAGS} ${CONSUMER_LINKER_FLAGS}")
file(MAKE_DIRECTORY "${SCRATCH_DIR}/pkgconfig")
run("compile with pkg-config" ${CONSUMER_CXX} -std=c++20 ${cxx_flags}
    "${SFKIT_SOURCE_DIR}/tests/package/main.cpp" -o "${SCRATCH_DIR}/pkgconfig/sfkit_consumer"
    ${pc_flags} "-Wl,-rpath,${libdir}")
run("run pkg-config consumer" "${SCRATCH_DIR}/pkgconfig/sfkit_consumer")
if(NOT last_output MATCHES "consumer ok: 001xx000003DGb2AAG")
    message(FATAL_ERROR "pkg-config consumer printed: ${last_output}")
endif()
message(STATUS "pkg-config (${pc_args}): ${last_output}")

# ---- find_package(sfkit COMPONENTS testing) + GoogleTest: the example ------------------------
if(NOT with_testing)
    return()
endif()
build_consumer(examples/testing "${SFKIT_SOURCE_DIR}/examples/testing" "${SCRATCH_DIR}/example")
run("run examples/testing" "${SCRATCH_DIR}/example/customer_test" --gtest_brief=1)
if(NOT last_output MATCHES "PASSED.*3 tests")
    message(FATAL_ERROR "examples/testing printed: ${last_output}")
endif()
message(STATUS "examples/testing: ${last_output}")
