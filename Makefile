# Gatescope: the README's two commands.
#
#   make run     installs what is missing (as root; otherwise prints the
#                apt-get line), builds into build/ and starts the application
#   make check   the same, then every test: what CI runs (.ci/run)
#   make deb     builds the Debian package from a clean clone of HEAD into
#                build-deb/ (dpkg-buildpackage, then lintian), then installs
#                it, tries it with the source tree hidden and removes it
#                (build-aux/make-deb.sh, build-aux/test-deb.sh; as root)
#   make clean   removes the build directories
#
# make check FIXTURE_SEED=n regenerates the fresh PyTorch reference set from
# seed n (to reproduce a parity failure CI reported).

FIXTURE_SEED ?=

.PHONY: run check deb clean

run:
	@build-aux/bootstrap.sh run
	@build-aux/setup-build.sh build ui=true
	ninja -C build
	GATESCOPE_DATA_DIR="$(CURDIR)/assets" \
	  GSETTINGS_SCHEMA_DIR="$(CURDIR)/build/assets" build/app/gatescope

check:
	@FIXTURE_SEED="$(FIXTURE_SEED)" build-aux/check.sh

deb:
	@build-aux/make-deb.sh build-deb
	@build-aux/test-deb.sh

clean:
	rm -rf build build-asan build-asan-clang build-tsan build-deb
