# Installation and the Debian package (docs/distributed.md, "Installing on worker machines").
#
#   cmake --install BUILD --prefix /usr        the programs, scenarios and schemas
#   (cd BUILD && cpack -G DEB)                 stampede_<version>_<arch>.deb
#
# The programs that were built go to bin/ (stampede-gui only with STAMPEDE_BUILD_GUI and the
# gui folder, the server with reference-server/); the shipped scenarios to
# share/stampede/scenarios/, the result-folder schemas to share/stampede/schema/. The
# package's runtime dependencies come from dpkg-shlibdeps on the installed programs (the
# shared libraries they link: libcurl, OpenSSL, libzmq, MariaDB, hiredis, SQLite, Qt when
# the GUI is in), so a worker machine needs only `apt install ./stampede_<version>_<arch>.deb`.
include(GNUInstallDirs)

foreach(program stampede stampede-server stampede-gui stampede-scenario-check)
  if(TARGET ${program})
    install(TARGETS ${program} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/scenarios/coupon.json ${PROJECT_SOURCE_DIR}/scenarios/coupon-step.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/stampede/scenarios)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/examples/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/stampede/scenarios/examples FILES_MATCHING PATTERN "*.json" PATTERN "*.csv")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/results/schema/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/stampede/schema FILES_MATCHING PATTERN "*.json")

set(CPACK_PACKAGE_NAME stampede)
set(CPACK_PACKAGE_VENDOR "Stampede")
set(CPACK_PACKAGE_CONTACT "Stampede developers <stampede@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Fast, honest HTTP load generator (closed and open model, Locust workers)")
set(CPACK_PACKAGE_DESCRIPTION "stampede runs load tests from scenario files and writes exact result folders; \
stampede worker serves a Locust 2.x master; stampede-server is the reference coupon backend.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)              # stampede_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)               # Depends: from dpkg-shlibdeps
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
include(CPack)
