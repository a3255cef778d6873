# The queued write path (--write-path queue): RabbitMQ through rabbitmq-c (librabbitmq-dev),
# added to the stampede_server library with the mysql store. Included from
# reference-server/CMakeLists.txt after mysql_store.cmake.
pkg_check_modules(RABBITMQ REQUIRED IMPORTED_TARGET librabbitmq)
target_sources(stampede_server PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/amqp_channel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/queue_shard_writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/grab_consumer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/queue_write_path.cpp
)
target_link_libraries(stampede_server PUBLIC PkgConfig::RABBITMQ)

if(NOT STAMPEDE_BUILD_TESTS)
  return()
endif()

# Tests against a real stack with RabbitMQ (fixtures/stack up --rabbitmq), started once by
# ctest as the fixture queue_stack (like mysql_stack in mysql_store.cmake, in its own folder
# on its own ports: a block of 10 from a hash of the build folder and "queue"), stopped and
# removed after the last test. Without mariadbd or rabbitmq-server the fixture is a no-op
# and the tests skip.
add_executable(server_queue_tests
  ${CMAKE_CURRENT_LIST_DIR}/tests/queue_stack_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tests/queue_faults_test.cpp)
target_link_libraries(server_queue_tests PRIVATE stampede_server GTest::gtest_main GTest::gmock)
target_compile_definitions(server_queue_tests PRIVATE
  STAMPEDE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  STAMPEDE_BINARY_DIR="${PROJECT_BINARY_DIR}")
add_dependencies(server_queue_tests stampede-server)

set(STAMPEDE_QUEUE_STACK_DIR ${PROJECT_BINARY_DIR}/queue-test-stack)
string(MD5 _queue_hash "${PROJECT_BINARY_DIR}/queue")
string(SUBSTRING "${_queue_hash}" 0 4 _queue_hash)
math(EXPR _queue_base "24000 + ((0x${_queue_hash} % 800) * 10)")
math(EXPR _queue_shards "${_queue_base} + 1")
math(EXPR _queue_redis "${_queue_base} + 5")
math(EXPR _queue_amqp "${_queue_base} + 6")
math(EXPR _queue_dist "${_queue_base} + 7")
math(EXPR _queue_epmd "${_queue_base} + 8")
set(_queue_env
  STAMPEDE_MYSQL_MAIN_PORT=${_queue_base}
  STAMPEDE_MYSQL_SHARD_BASE_PORT=${_queue_shards}
  STAMPEDE_REDIS_PORT=${_queue_redis}
  STAMPEDE_AMQP_PORT=${_queue_amqp}
  STAMPEDE_RABBITMQ_DIST_PORT=${_queue_dist}
  STAMPEDE_EPMD_PORT=${_queue_epmd})
add_test(NAME queue_stack_up
  COMMAND sh -c "{ command -v mariadbd >/dev/null || test -x /usr/sbin/mariadbd; } && test -x /usr/lib/rabbitmq/bin/rabbitmq-server || { echo 'mariadbd or rabbitmq-server not installed: queue tests will skip'; exit 0; }; exec \"$0\" up --rabbitmq --dir \"$1\"" ${PROJECT_SOURCE_DIR}/fixtures/stack ${STAMPEDE_QUEUE_STACK_DIR})
add_test(NAME queue_stack_down COMMAND ${PROJECT_SOURCE_DIR}/fixtures/stack down --purge --dir ${STAMPEDE_QUEUE_STACK_DIR})
set_tests_properties(queue_stack_up PROPERTIES FIXTURES_SETUP queue_stack ENVIRONMENT "${_queue_env}"
  RESOURCE_LOCK queue_stack TIMEOUT 240)
set_tests_properties(queue_stack_down PROPERTIES FIXTURES_CLEANUP queue_stack RESOURCE_LOCK queue_stack
  TIMEOUT 120 ENVIRONMENT "${_queue_env}")
string(REPLACE ";" " " _queue_env_words "${_queue_env}")
gtest_discover_tests(server_queue_tests
  TEST_PREFIX "server_queue_tests."
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  DISCOVERY_TIMEOUT 60
  PROPERTIES TIMEOUT 300 FIXTURES_REQUIRED queue_stack RESOURCE_LOCK queue_stack
             ENVIRONMENT "STAMPEDE_QUEUE_STACK_DIR=${STAMPEDE_QUEUE_STACK_DIR};STAMPEDE_QUEUE_STACK_ENV=${_queue_env_words}")
