/* entente — command-line entry point. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
} command;

static const command commands[] = {
	{"train", cmd_train,
	 "entente train DATA... -o MODEL [--ngrams 1-2] [--min-df N] [--c C | --grid] [--folds K]\n"
	 "              [--kernel linear|rbf] [--gamma G] [--class-weight balanced|none] [--seed N]\n"
	 "              [--actors FILE | --no-actors] [--no-mask-actors] [--no-negation] [--no-stem]\n"
	 "              [--no-sublinear-tf] [--skip-invalid]\n"
	 "  Trains a model from labeled TSV (header with 'label' and 'text') or JSONL files.\n"},
	{"classify", cmd_classify,
	 "entente classify [-m MODEL] [FILE...|-] [--input text|jsonl] [--format text|json|jsonl|tsv|html]\n"
	 "                 [--actors FILE] [--date YYYY-MM-DD] [-j N] [-o FILE]\n"
	 "  Labels each sentence of each article and scores the tone of every actor and pair.\n"},
	{"eval", cmd_eval,
	 "entente eval [-m MODEL] DATA... [--format text|json|markdown|html] [-o FILE] [--errors N]\n"
	 "  Reports precision, recall, F1 and the confusion matrix of a model on labeled data.\n"},
	{"cv", cmd_cv,
	 "entente cv DATA... [-k K] [train options] [--format text|json|markdown|html] [-o FILE]\n"
	 "  Stratified k-fold cross-validation (vocabulary and model rebuilt inside each fold).\n"},
	{"merge", cmd_merge,
	 "entente merge [FILE...|-] [--format json|jsonl|text]\n"
	 "  Merges per-actor and per-pair sums from many 'classify --format jsonl' runs.\n"},
	{"actors", cmd_actors,
	 "entente actors [FILE...|-] [--actors FILE] [--date YYYY-MM-DD]\n"
	 "  Shows which actors the dictionary finds, in which sentence and where.\n"},
};

static void print_overview(FILE *out)
{
	fputs("entente " ENT_VERSION " — cooperative, conflictual or neutral: sentence labels and actor tone\n\n",
	      out);
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fputs(commands[i].usage, out);
	fputs("entente --version | help COMMAND\n", out);
}

static const command *find(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int help(int argc, char **argv)
{
	if (argc < 3) {
		print_overview(stdout);
		return cli_finish_stdout();
	}
	const command *c = find(argv[2]);
	if (c == NULL)
		return cli_usage("help", "unknown command '%s'", argv[2]);
	fputs(c->usage, stdout);
	return cli_finish_stdout();
}

int main(int argc, char **argv)
{
	/* A closed stdout ends the run quietly: writes fail with EPIPE instead. */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		print_overview(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0) {
		puts("entente " ENT_VERSION);
		return cli_finish_stdout();
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return help(argc, argv);
	const command *c = find(argv[1]);
	if (c == NULL) {
		cli_error("unknown command '%s' (expected train, classify, eval, cv, merge or actors)", argv[1]);
		return EXIT_USAGE;
	}
	return c->run(argc - 1, argv + 1);
}
