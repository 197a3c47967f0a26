/* entente merge: adds up the per-actor and per-pair sums of many runs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "entente/classify.h"

#define MAX_LINE ((size_t)256 * 1024 * 1024)

static int merge_line(void *ctx, const char *name, size_t number, const char *line, size_t len)
{
	ent_error err = ENT_ERROR_INIT;
	if (ent_tone_add_json(ctx, line, len, &err) != ENT_OK) {
		cli_error("%s:%zu: %s", name, number, err.message);
		return cli_exit_for(err.code);
	}
	return EXIT_OK;
}

int cmd_merge(int argc, char **argv)
{
	int format = ENT_FORMAT_JSON, rc = EXIT_OK, nfiles = 0;
	const char *output = NULL;
	char **files = calloc((size_t)argc + 1, sizeof *files);
	if (files == NULL)
		return EXIT_IO;
	for (int i = 1; i < argc && rc == EXIT_OK; i++) {
		const char *v;
		int m;
		if ((m = cli_option(argc, argv, &i, "--format", NULL, &v)) != 0) {
			format = m > 0 ? ent_report_format_parse(v) : -1;
			if (format != ENT_FORMAT_JSON && format != ENT_FORMAT_JSONL && format != ENT_FORMAT_TEXT)
				rc = cli_usage("merge", "unknown format '%s' (expected json, jsonl or text)", m > 0 ? v : "");
		} else if ((m = cli_option(argc, argv, &i, "--output", "-o", &v)) != 0) {
			output = v;
			rc = m < 0 ? EXIT_USAGE : EXIT_OK;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			rc = cli_usage("merge", "unknown option '%s'", argv[i]);
		} else {
			files[nfiles++] = argv[i];
		}
	}
	if (nfiles == 0)
		files[nfiles++] = "-";
	ent_tone *tone = NULL;
	ent_error err = ENT_ERROR_INIT;
	if (rc == EXIT_OK && ent_tone_new(&tone, &err) != ENT_OK)
		rc = cli_fail(&err);
	for (int i = 0; rc == EXIT_OK && i < nfiles; i++) {
		int is_stdin = strcmp(files[i], "-") == 0;
		FILE *f = is_stdin ? stdin : fopen(files[i], "rb");
		if (f == NULL) {
			cli_error("cannot open '%s': %s", files[i], strerror(errno));
			rc = EXIT_IO;
			break;
		}
		rc = cli_for_each_line(f, is_stdin ? "<stdin>" : files[i], MAX_LINE, merge_line, tone);
		if (!is_stdin)
			fclose(f);
	}
	char *out = NULL;
	size_t cap = 0, len = 0;
	if (rc == EXIT_OK && ent_report_tone(tone, NULL, (ent_report_format)format, &out, &cap, &len, &err) != ENT_OK)
		rc = cli_fail(&err);
	if (rc == EXIT_OK)
		rc = cli_write_output(output, out, len);
	free(out);
	ent_tone_free(tone);
	free(files);
	return rc;
}
