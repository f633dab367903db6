# make serve: install what is missing, then serve the app on http://127.0.0.1:8080
# make test:  install what is missing, then run every test tier (scripts/test.sh)
.PHONY: serve test

serve:
	scripts/setup.sh serve
	LOOPLAB_SKIP_SETUP=1 scripts/serve.sh

test:
	scripts/setup.sh test
	scripts/test.sh
