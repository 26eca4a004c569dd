# genlab_fuzz_tests(<folder of the fuzz binaries>): for each target of tests/fuzz, a CTest test
# replaying the inputs in regressions/<target>/ (fuzz_<target>_regressions) and a 30-second run
# from the seed corpus (fuzz_<target>_smoke). The fuzz build and the release build's tests both
# call it; the second skips (77) while build/fuzz lacks the binaries (make test builds them).
set(GENLAB_FUZZ_TARGETS idx idx_file cifar spec_json preset sweep metrics_csv summary_json options mirrors)
function(genlab_fuzz_tests binaries)
  set(here ${PROJECT_SOURCE_DIR}/tests/fuzz)
  foreach(name IN LISTS GENLAB_FUZZ_TARGETS)
    add_test(NAME fuzz_${name}_regressions COMMAND bash ${here}/fuzz_test.sh replay
      ${binaries}/fuzz_${name} ${here}/regressions/${name})
    set_tests_properties(fuzz_${name}_regressions PROPERTIES LABELS fuzz SKIP_RETURN_CODE 77)
    add_test(NAME fuzz_${name}_smoke COMMAND bash ${here}/fuzz_test.sh smoke
      ${binaries}/fuzz_${name} ${here}/corpus/${name} 30)
    set_tests_properties(fuzz_${name}_smoke PROPERTIES LABELS "fuzz;slow" SKIP_RETURN_CODE 77 TIMEOUT 120)
  endforeach()
endfunction()
