#include "cli.h"
int cmd_classify(int argc, char **argv) { (void)argc; (void)argv; return 2; }
int cmd_actors(int argc, char **argv) { (void)argc; (void)argv; return 2; }
int cmd_merge(int argc, char **argv) { (void)argc; (void)argv; return 2; }
