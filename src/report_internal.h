/* Private: what the report renderers share. */
#ifndef ENT_REPORT_INTERNAL_H
#define ENT_REPORT_INTERNAL_H

#include <jansson.h>

#include "buf.h"
#include "entente/report.h"

json_t *ent_report_metrics_json(const ent_metrics *m);
/* Self-contained HTML evaluation report; 0 or -1 when out of memory. */
int ent_report_eval_html(ent_buf *b, const ent_eval_report *r);

#endif
