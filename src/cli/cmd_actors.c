/* entente actors: which actors the dictionary finds, and where. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "entente/io.h"

typedef struct actors_run {
	ent_actors *dict;
	ent_text *text;
	ent_actor_matches *matches;
	long date;
	size_t found;
} actors_run;

static void print_flat(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		putchar(s[i] == '\n' || s[i] == '\t' || s[i] == '\r' ? ' ' : s[i]);
}

static int show_article(actors_run *r, const char *name, const char *data, size_t len)
{
	ent_error err = ENT_ERROR_INIT;
	if (ent_text_analyze(r->text, data, len, ENT_TEXT_ARTICLE, &err) != ENT_OK)
		return cli_fail(&err);
	const char *source = ent_text_source(r->text, NULL);
	for (size_t s = 0; s < ent_text_sentence_count(r->text); s++) {
		size_t count;
		const ent_token *tokens = ent_text_tokens(r->text, s, &count);
		if (ent_actors_match(r->dict, tokens, count, source, r->date, r->matches, &err) != ENT_OK)
			return cli_fail(&err);
		for (size_t i = 0; i < ent_actor_matches_count(r->matches); i++) {
			const ent_actor_match *m = ent_actor_matches_get(r->matches, i);
			size_t start = tokens[m->first].start, end = tokens[m->first + m->count - 1].end;
			ent_span span = ent_text_sentence_span(r->text, s);
			printf("%s\t%zu\t%zu-%zu\t%s\t%s\t", name, s, start, end, m->code, m->role ? m->role : "-");
			print_flat(source + start, end - start);
			putchar('\t');
			print_flat(source + span.start, span.end - span.start);
			putchar('\n');
			r->found++;
		}
	}
	return EXIT_OK;
}

static int load_dictionary(actors_run *r, const char *extra)
{
	ent_error err = ENT_ERROR_INIT;
	const char *shipped = cli_default_actors();
	if (shipped == NULL && extra == NULL) {
		cli_error("cannot find the shipped actor dictionary (models/actors.tsv); pass --actors FILE");
		return EXIT_MODEL;
	}
	if (ent_actors_new(&r->dict, &err) != ENT_OK || ent_text_new(&r->text, &err) != ENT_OK ||
	    ent_actor_matches_new(&r->matches, &err) != ENT_OK ||
	    (shipped && ent_actors_load_file(r->dict, shipped, &err) != ENT_OK) ||
	    (extra && ent_actors_load_file(r->dict, extra, &err) != ENT_OK))
		return cli_fail(&err);
	return EXIT_OK;
}

int cmd_actors(int argc, char **argv)
{
	actors_run r;
	memset(&r, 0, sizeof r);
	const char *extra = NULL, *date = NULL;
	char **files = calloc((size_t)argc + 1, sizeof *files);
	int nfiles = 0, rc = files ? EXIT_OK : EXIT_IO;
	for (int i = 1; i < argc && rc == EXIT_OK; i++) {
		const char *v;
		int m;
		if ((m = cli_option(argc, argv, &i, "--actors", NULL, &v)) != 0)
			extra = v;
		else if ((m = cli_option(argc, argv, &i, "--date", NULL, &v)) != 0)
			date = v;
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			rc = cli_usage("actors", "unknown option '%s'", argv[i]);
		else
			files[nfiles++] = argv[i];
		if (m < 0)
			rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK && date && ent_date_parse(date, strlen(date), &r.date) != ENT_OK)
		rc = cli_usage("actors", "invalid --date '%s' (expected YYYY-MM-DD)", date);
	if (rc == EXIT_OK)
		rc = load_dictionary(&r, extra);
	if (nfiles == 0 && files != NULL)
		files[nfiles++] = "-";
	if (rc == EXIT_OK)
		printf("file\tsentence\tspan\tcode\trole\tmatch\tsentence_text\n");
	for (int i = 0; rc == EXIT_OK && i < nfiles; i++) {
		char *data = NULL;
		size_t len = 0;
		ent_error err = ENT_ERROR_INIT;
		if (strcmp(files[i], "-") == 0)
			rc = cli_read_stream(stdin, "<stdin>", ENT_TEXT_MAX_ARTICLE_BYTES, &data, &len);
		else if (ent_file_read(files[i], "article", ENT_TEXT_MAX_ARTICLE_BYTES, ENT_EIO, &data, &len, &err) != ENT_OK)
			rc = cli_fail(&err);
		if (rc == EXIT_OK)
			rc = show_article(&r, files[i], data, len);
		free(data);
	}
	if (rc == EXIT_OK)
		rc = cli_finish_stdout();
	ent_actor_matches_free(r.matches);
	ent_text_free(r.text);
	ent_actors_free(r.dict);
	free(files);
	return rc;
}
