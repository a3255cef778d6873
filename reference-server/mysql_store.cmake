# The MySQL + Redis store (MysqlStore) and its tests, added to the stampede_server library.
# Included from reference-server/CMakeLists.txt after add_library(stampede_server ...):
#
#   include(mysql_store.cmake)
#
# The tests start a real stack with fixtures/stack (skipped when mariadbd/redis-server are
# not installed).
target_sources(stampede_server PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/mysql_settings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mysql_conn.cpp
  ${CMAKE_CURRENT_LIST_DIR}/redis_stock.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mysql_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mysql_store_load.cpp
)
target_link_libraries(stampede_server PUBLIC PkgConfig::MARIADB PkgConfig::HIREDIS)

stampede_add_tests(NAME server_mysql_tests
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/tests/mysql_settings_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tests/mysql_store_test.cpp
  LIBS stampede_server)
