# stampede_add_tests(NAME <target> SOURCES <files...> LIBS <libs...>)
# One GoogleTest executable per folder; each TEST becomes its own ctest entry.
# Tests run with the repository root as working directory so fixtures are found as
# relative paths (e.g. "scenarios/tests/fixtures/...").
function(stampede_add_tests)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS" ${ARGN})
  if(NOT STAMPEDE_BUILD_TESTS)
    return()
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest_main GTest::gmock)
  target_compile_definitions(${T_NAME} PRIVATE
    STAMPEDE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    STAMPEDE_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${T_NAME}
    TEST_PREFIX "${T_NAME}."
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    DISCOVERY_TIMEOUT 60
    PROPERTIES TIMEOUT 300)
endfunction()
