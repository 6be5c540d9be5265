# Gatescope: the README's two commands.
#
#   make run     installs what is missing (as root; otherwise prints the
#                apt-get line), builds into build/ and starts the application
#   make check   the same, then every test: what CI runs (.ci/run)
#   make clean   removes the build directories
#
# make check FIXTURE_SEED=n regenerates the fresh PyTorch reference set from
# seed n (to reproduce a parity failure CI reported).

FIXTURE_SEED ?=

.PHONY: run check clean

run:
	@build-aux/bootstrap.sh run
	@build-aux/setup-build.sh build ui=true
	ninja -C build
	GSETTINGS_SCHEMA_DIR="$(CURDIR)/build/assets" build/app/gatescope

check:
	@FIXTURE_SEED="$(FIXTURE_SEED)" build-aux/check.sh

clean:
	rm -rf build build-asan build-asan-clang build-tsan
