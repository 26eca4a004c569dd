# CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS): Debian ships man pages gzipped (policy
# 12.1), but the build installs genlab.1 plain so that `man build/release/app/genlab.1` and a
# plain `cmake --install` keep working. This compresses them in CPack's staging folder only,
# before the package and its md5sums are made. -n leaves out the time stamp (reproducible).
file(GLOB pages
  "${CPACK_TEMPORARY_DIRECTORY}${CPACK_PACKAGING_INSTALL_PREFIX}/${CPACK_GENLAB_MAN_DIR}/man*/*")
foreach(page IN LISTS pages)
  if(page MATCHES "\\.gz$")
    continue()
  endif()
  execute_process(COMMAND gzip -9nf "${page}" RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "compress-man-pages: gzip failed on '${page}'")
  endif()
endforeach()
