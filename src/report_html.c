/* Self-contained HTML reports (inline CSS and SVG, no scripts needed). */
#include "report_internal.h"

int ent_report_eval_html(ent_buf *b, const ent_eval_report *r)
{
	(void)r;
	return ent_buf_puts(b, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>entente report</title></head><body><p>HTML reports are not implemented yet.</p></body></html>\n");
}
