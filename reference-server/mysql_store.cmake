# The MySQL + Redis store (MysqlStore) and its tests, added to the stampede_server library.
# Included from reference-server/CMakeLists.txt after add_library(stampede_server ...):
#
#   include(mysql_store.cmake)
target_sources(stampede_server PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/mysql_settings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mysql_conn.cpp
  ${CMAKE_CURRENT_LIST_DIR}/redis_stock.cpp
  ${CMAKE_CURRENT_LIST_DIR}/redis_cache.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mysql_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mysql_store_load.cpp
)
target_link_libraries(stampede_server PUBLIC PkgConfig::MARIADB PkgConfig::HIREDIS)

if(NOT STAMPEDE_BUILD_TESTS)
  return()
endif()

# Tests against a real stack. Under ctest one stack (fixtures/stack in the build folder) is
# a fixture: mysql_stack_up starts it before the first test, mysql_stack_down stops and
# removes it after the last; the tests hold a RESOURCE_LOCK since they share its data.
# Its ports come from a hash of the build folder, so two build folders on one machine
# (e.g. parallel helpers/CI jobs) get different ports. Without mariadbd the fixture is a
# no-op and the tests skip. (Like stampede_add_tests, plus the fixture properties.)
add_executable(server_mysql_tests
  ${CMAKE_CURRENT_LIST_DIR}/tests/mysql_settings_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tests/mysql_conn_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tests/store_contract_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tests/mysql_store_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tests/mysql_tuning_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tests/mysql_replicas_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tests/stack_parts_test.cpp)
target_link_libraries(server_mysql_tests PRIVATE stampede_server GTest::gtest_main GTest::gmock)
target_compile_definitions(server_mysql_tests PRIVATE
  STAMPEDE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  STAMPEDE_BINARY_DIR="${PROJECT_BINARY_DIR}")

set(STAMPEDE_TEST_STACK_DIR ${PROJECT_BINARY_DIR}/mysql-test-stack)
string(MD5 _stack_hash "${PROJECT_BINARY_DIR}")
string(SUBSTRING "${_stack_hash}" 0 4 _stack_hash)
math(EXPR _stack_base "24000 + ((0x${_stack_hash} % 800) * 10)")
math(EXPR _stack_shards "${_stack_base} + 1")
math(EXPR _stack_redis "${_stack_base} + 9")
set(_stack_script ${PROJECT_SOURCE_DIR}/fixtures/stack)
add_test(NAME mysql_stack_up
  COMMAND sh -c "command -v mariadbd >/dev/null || test -x /usr/sbin/mariadbd || { echo 'mariadbd not installed: MySQL store tests will skip'; exit 0; }; exec \"$0\" up --dir \"$1\"" ${_stack_script} ${STAMPEDE_TEST_STACK_DIR})
add_test(NAME mysql_stack_down COMMAND ${_stack_script} down --purge --dir ${STAMPEDE_TEST_STACK_DIR})
set(_stack_env
  STAMPEDE_MYSQL_MAIN_PORT=${_stack_base}
  STAMPEDE_MYSQL_SHARD_BASE_PORT=${_stack_shards}
  STAMPEDE_REDIS_PORT=${_stack_redis})
set_tests_properties(mysql_stack_up PROPERTIES FIXTURES_SETUP mysql_stack ENVIRONMENT "${_stack_env}"
  RESOURCE_LOCK mysql_stack TIMEOUT 180)
set_tests_properties(mysql_stack_down PROPERTIES FIXTURES_CLEANUP mysql_stack RESOURCE_LOCK mysql_stack
  TIMEOUT 120)
gtest_discover_tests(server_mysql_tests
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  DISCOVERY_TIMEOUT 60
  PROPERTIES TIMEOUT 300 FIXTURES_REQUIRED mysql_stack RESOURCE_LOCK mysql_stack
             ENVIRONMENT "STAMPEDE_TEST_STACK_DIR=${STAMPEDE_TEST_STACK_DIR}")
