"""The seeder's SQL: every row is made by PostgreSQL from generate_series and the small
temporary tables of bench/catalogue.py (s_service, s_step, s_staff, s_text, s_day,
s_prefix). Parameters are psycopg's %(name)s. Over ~400 lines on purpose: one
statement per table, in the order the foreign keys need, read top to bottom as one script.

Ids are arithmetic, not sequences: request `rank` (chronological) gets a block of
`max_steps` task ids, `events` history ids (one slot per possible row, so each
request's rows are in timeline order and nothing needs sorting), the same slots for its
outbox rows, and `flow` viewflow task ids. Gaps are harmless, as in any sequence.

The story each request tells is the one the services write (checked against a real
submit/claim/approve/return/reject/cancel run): `submitted`; per decided step a staff-side
`claimed` (step 1 also the public `started`) and the decision (`advanced` naming the next
step, or `completed`/`rejected`/`returned`); an applicant's `cancelled`; `overdue` for an
open task past its due date (flagged, its timer fired). Finished requests are spread over
the past year's working days; open ones are from the last two weeks.
"""

PLAN = """
SELECT setseed(%(seed)s);
CREATE TEMP TABLE s_plan ON COMMIT DROP AS
WITH raw AS (
    SELECT n, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
           CASE WHEN n <= %(queue)s THEN 'queue'
                WHEN n <= %(queue)s + %(open)s THEN 'open' ELSE 'done' END AS cat
    FROM generate_series(1, %(total)s) AS n
), picked AS (
    SELECT raw.*,
           CASE WHEN cat = 'queue'
                THEN (%(queue_snos)s::int[])[
                    1 + floor(r1 * cardinality(%(queue_snos)s::int[]))::int]
                ELSE floor(r1 * %(services)s)::int END AS sno
    FROM raw
), statused AS (
    SELECT p.n, p.cat, p.sno, p.r3, p.r4, p.r5, s.nsteps, s.queue, p.r2,
           CASE WHEN cat = 'queue' THEN 'submitted'
                WHEN cat = 'open' AND s.queue THEN
                     CASE WHEN r2 < 0.8 THEN 'in_progress' ELSE 'needs_info' END
                WHEN cat = 'open' THEN
                     CASE WHEN r2 < 0.25 THEN 'submitted' WHEN r2 < 0.8 THEN 'in_progress'
                          ELSE 'needs_info' END
                ELSE CASE WHEN r2 < 0.91 THEN 'completed' WHEN r2 < 0.96 THEN 'rejected'
                          ELSE 'cancelled' END END AS status
    FROM picked p JOIN s_service s USING (sno)
)
SELECT n, cat, sno, status, nsteps,
       -- the step it stopped at (its open task, return, rejection or cancellation)
       CASE WHEN status IN ('submitted', 'needs_info') THEN 0
            WHEN status = 'completed' THEN nsteps - 1
            WHEN status = 'in_progress' AND cat = 'open' AND queue
                 THEN 1 + floor(r3 * (nsteps - 1))::int
            ELSE floor(r3 * nsteps)::int END AS k,
       CASE WHEN cat = 'done'
            THEN %(first_day)s + floor(r4 * (%(last_day)s - 15 - %(first_day)s))::int
            WHEN status = 'needs_info' THEN %(last_day)s - floor(r4 * 7)::int
            ELSE %(last_day)s - floor(r4 * 9)::int END AS d0,
       (8 * 3600 + floor(r5 * 3 * 3600))::int AS tod0
FROM statused;

CREATE TEMP TABLE s_req0 ON COMMIT DROP AS
SELECT p.n, p.cat, p.sno, p.status, p.k, p.d0, s.nsteps, s.service_id, s.office_id,
       s.office_code, s.correction_days,
       (d.day + make_interval(secs => p.tod0)) AT TIME ZONE %(tz)s AS submitted_at,
       due.day AS due_date,
       extract(year FROM d.day)::int AS year,
       CASE WHEN s.clerk_id IS NOT NULL AND p.n %% 10 < 3 THEN s.clerk_id END AS clerk_id,
       s.clerk_as,
       row_number() OVER (ORDER BY d.day, p.tod0, p.n) AS rank,
       row_number() OVER (PARTITION BY s.office_id, extract(year FROM d.day)
                          ORDER BY d.day, p.tod0, p.n) AS seq0
FROM s_plan p JOIN s_service s USING (sno) JOIN s_day d ON d.i = p.d0
JOIN s_day due ON due.i = p.d0 + s.sla;

-- Numbers continue the allocator's counters (a database already holding requests); the
-- check character is an XOR of constants (bench/catalogue.py).
CREATE TEMP TABLE s_req ON COMMIT DROP AS
WITH numbered AS (
    SELECT r.*, r.seq0 + coalesce(c.last, 0) AS seq
    FROM s_req0 r LEFT JOIN workflow_registrationcounter c
         ON c.office_id = r.office_id AND c.year = r.year
), checked AS (
    -- At least five digits (lpad alone would cut a sixth one off).
    SELECT numbered.*, lpad(seq::text, greatest(5, length(seq::text)), '0') AS digits,
           substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 1 + (pf.value
               # (%(positions)s::int[])[1 + (seq %% 10)::int]
               # (%(positions)s::int[])[11 + (seq / 10 %% 10)::int]
               # (%(positions)s::int[])[21 + (seq / 100 %% 10)::int]
               # (%(positions)s::int[])[31 + (seq / 1000 %% 10)::int]
               # (%(positions)s::int[])[41 + (seq / 10000 %% 10)::int]
               # (%(positions)s::int[])[51 + (seq / 100000 %% 10)::int]
               # (%(positions)s::int[])[61 + (seq / 1000000 %% 10)::int]), 1) AS ch
    FROM numbered JOIN s_prefix pf ON pf.office_id = numbered.office_id
         AND pf.year = numbered.year AND pf.digits = greatest(5, length(seq::text))
)
SELECT checked.*, %(request_base)s + rank AS id,
       rtrim(translate(encode(decode(replace(gen_random_uuid()::text, '-', '')
           || replace(gen_random_uuid()::text, '-', ''), 'hex'), 'base64'), '+/', '-_'), '=')
           AS access_token,
       office_code || '-' || year || '-' || digits || '-' || ch AS number,
       office_code || year || digits || ch AS key
FROM checked;
CREATE INDEX ON s_req (rank);
ANALYZE s_req;
"""

# One row per step a request reached: when it opened, was claimed and decided, by whom.
STEPS = """
CREATE TEMP TABLE s_task ON COMMIT DROP AS
WITH reached AS (
    SELECT r.rank, r.n, r.sno, r.status, r.cat, r.k AS stop_k, r.d0, r.nsteps, r.submitted_at,
           st.k, st.step_id, st.unit_id, st.sla,
           floor(random() * (st.sla + 1))::int AS lag
    FROM s_req r JOIN s_step st ON st.sno = r.sno AND st.k <= r.k
), days AS (
    SELECT reached.*,
           least(d0 + sum(lag) OVER w, %(last_day)s) AS decided_day,
           least(d0 + sum(lag) OVER w - lag, %(last_day)s) AS open_day
    FROM reached WINDOW w AS (PARTITION BY rank ORDER BY k)
), timed AS (
    SELECT days.*,
           (dd.day + make_interval(secs => 11 * 3600 + k * 4500 + floor(random() * 3600)::int))
               AT TIME ZONE %(tz)s AS decided_at,
           due.day AS due_date,
           CASE WHEN k < stop_k OR status IN ('completed', 'rejected', 'needs_info') THEN 'done'
                WHEN status = 'cancelled' THEN 'cancelled' ELSE 'open' END AS task_status,
           CASE WHEN k < stop_k OR status = 'completed' THEN 'approve'
                WHEN status = 'rejected' THEN 'reject'
                WHEN status = 'needs_info' THEN 'return' ELSE '' END AS decision
    FROM days JOIN s_day dd ON dd.i = decided_day JOIN s_day due ON due.i = open_day + sla
), opened AS (
    SELECT timed.*,
           coalesce(lag(decided_at) OVER (PARTITION BY rank ORDER BY k), submitted_at)
               AS opened_at,
           task_status = 'done' OR (task_status = 'open' AND status = 'in_progress'
                                    AND (k = 0 OR n %% 2 = 0)) AS claimed
    FROM timed
)
SELECT opened.*, %(task_base)s + (rank - 1) * %(max_steps)s + k AS id,
       CASE WHEN claimed THEN s.user_id END AS user_id,
       CASE WHEN claimed THEN s.acting_as END AS acting_as
FROM opened LEFT JOIN s_staff s ON s.unit_id = opened.unit_id AND s.j = opened.n %% s.nstaff;
CREATE INDEX ON s_task (rank, k);
ANALYZE s_task;
"""

REQUESTS = """
INSERT INTO workflow_servicerequest ({columns}) SELECT {values}
FROM s_req r
LEFT JOIN s_task cur ON cur.rank = r.rank AND cur.k = r.k
JOIN s_service s ON s.sno = r.sno
"""

REQUEST_VALUES = {
    "id": "r.id",
    "service_id": "r.service_id",
    "office_id": "r.office_id",
    "registration_number": "r.number",
    "registration_key": "r.key",
    "access_token": "r.access_token",
    "status": "r.status",
    "current_step_id": "CASE WHEN r.status <> 'completed' THEN cur.step_id END",
    "channel": "CASE WHEN r.clerk_id IS NULL THEN 'online' ELSE 'counter' END",
    "submitted_by_id": "r.clerk_id",
    "applicant_name": "(%(first_names)s::text[])[1 + r.n %% cardinality(%(first_names)s::text[])]"
    " || ' ' || "
    "(%(last_names)s::text[])[1 + (r.n / 7) %% cardinality(%(last_names)s::text[])]",
    "applicant_phone": "'+62812' || lpad((r.n %% 100000000)::text, 8, '0')",
    "applicant_nik": "'1571' || lpad((r.n %% 1000000000000)::text, 12, '0')",
    "data": "s.data",
    "correction_codes": "'[]'::jsonb",
    "correction_due_date": "CASE WHEN r.status = 'needs_info' THEN "
    "(cur.decided_at AT TIME ZONE %(tz)s)::date + r.correction_days END",
    "submitted_at": "r.submitted_at",
    "due_date": "r.due_date",
    "completed_at": "CASE WHEN r.status IN ('completed', 'rejected', 'cancelled') "
    "THEN cur.decided_at END",
    "updated_at": "CASE WHEN cur.task_status = 'open' THEN "
    "coalesce(CASE WHEN cur.claimed THEN cur.opened_at + interval '10 minutes' END, "
    "cur.opened_at) ELSE cur.decided_at END",
}

# The required documents each request was submitted with (one shared stored file).
DOCUMENTS = """
INSERT INTO workflow_document ({columns}) SELECT {values}
FROM s_req r JOIN s_doc d ON d.sno = r.sno
"""

DOCUMENT_VALUES = {
    "request_id": "r.id",
    "code": "d.code",
    "file": "%(document_file)s",
    "original_name": "d.code || CASE d.content_type WHEN 'application/pdf' THEN '.pdf' "
    "WHEN 'image/png' THEN '.png' ELSE '.jpg' END",
    "content_type": "d.content_type",
    "size": "%(document_size)s",
    "sha256": "%(document_sha256)s",
    "uploaded_at": "r.submitted_at",
    "superseded": "false",
}

TASKS = """
INSERT INTO workflow_task ({columns}) SELECT {values}
FROM s_task t JOIN s_req r ON r.rank = t.rank
"""

TASK_VALUES = {
    "id": "t.id",
    "request_id": "r.id",
    "step_id": "t.step_id",
    "unit_id": "t.unit_id",
    "status": "t.task_status",
    "assigned_to_id": "t.user_id",
    "created_at": "t.opened_at",
    "claimed_at": "CASE WHEN t.task_status = 'done' THEN t.decided_at "
    "WHEN t.claimed THEN t.opened_at + interval '10 minutes' END",
    "due_date": "t.due_date",
    "overdue": "t.task_status = 'open' AND t.due_date < %(today)s",
    "overdue_notified_at": "CASE WHEN t.task_status = 'open' AND t.due_date < %(today)s "
    "THEN (t.due_date + 1)::timestamp AT TIME ZONE %(tz)s END",
    "completed_at": "CASE WHEN t.task_status <> 'open' THEN t.decided_at END",
    "completed_by_id": "CASE WHEN t.task_status = 'done' THEN t.user_id END",
    "decision": "t.decision",
    "note": "CASE t.decision WHEN 'return' THEN %(note_returned)s "
    "WHEN 'reject' THEN %(note_rejected)s ELSE '' END",
}

# History: (slot, SQL of the rows). Slot = the row's place in the request's timeline.
EVENT_ID = "%(event_base)s + (r.rank - 1) * %(event_slots)s + e.slot"
EVENT_ROWS = """
FROM s_task t JOIN s_req r ON r.rank = t.rank
CROSS JOIN LATERAL (
    -- submitted (slot 0), with the task of step 1 it opened
    SELECT 0 AS slot, 'submitted' AS kind, true AS is_transition, r.submitted_at AS at,
           r.clerk_id AS actor_id,
           CASE WHEN r.clerk_id IS NULL THEN %(applicant_as)s ELSE r.clerk_as END AS acting_as,
           '' AS from_status, 'submitted' AS to_status, t.step_id, t.id AS task_id, '' AS note
    WHERE t.k = 0
    UNION ALL
    -- claimed (staff-side): slot 1 for step 1, 2k+2 after
    SELECT CASE WHEN t.k = 0 THEN 1 ELSE 2 * t.k + 2 END, 'claimed', false,
           CASE WHEN t.task_status = 'done' THEN t.decided_at
                ELSE t.opened_at + interval '10 minutes' END,
           t.user_id, t.acting_as,
           CASE WHEN t.k = 0 THEN 'submitted' ELSE 'in_progress' END,
           CASE WHEN t.k = 0 THEN 'submitted' ELSE 'in_progress' END, t.step_id, t.id, ''
    WHERE t.claimed
    UNION ALL
    -- started: the first claim of step 1
    SELECT 2, 'started', true,
           CASE WHEN t.task_status = 'done' THEN t.decided_at
                ELSE t.opened_at + interval '10 minutes' END,
           t.user_id, t.acting_as, 'submitted', 'in_progress', t.step_id, t.id, ''
    WHERE t.claimed AND t.k = 0
    UNION ALL
    -- the decision of the step, or the applicant's cancellation: slot 2k+3
    SELECT 2 * t.k + 3,
           CASE WHEN t.task_status = 'cancelled' THEN 'cancelled'
                WHEN t.decision = 'reject' THEN 'rejected'
                WHEN t.decision = 'return' THEN 'returned'
                WHEN t.k < t.nsteps - 1 THEN 'advanced'
                ELSE 'completed' END,
           true, t.decided_at,
           CASE WHEN t.task_status = 'done' THEN t.user_id END,
           CASE WHEN t.task_status = 'done' THEN t.acting_as ELSE %(applicant_as)s END,
           CASE WHEN t.task_status = 'cancelled' AND NOT t.claimed AND t.k = 0 THEN 'submitted'
                ELSE 'in_progress' END,
           CASE WHEN t.task_status = 'cancelled' THEN 'cancelled'
                WHEN t.decision = 'reject' THEN 'rejected'
                WHEN t.decision = 'return' THEN 'needs_info'
                WHEN t.k < t.nsteps - 1 THEN 'in_progress' ELSE 'completed' END,
           CASE WHEN t.decision = 'approve' AND t.k < t.nsteps - 1
                THEN (SELECT step_id FROM s_step WHERE sno = r.sno AND k = t.k + 1)
                ELSE t.step_id END,
           t.id,
           CASE t.decision WHEN 'return' THEN %(note_returned)s
                WHEN 'reject' THEN %(note_rejected)s ELSE '' END
    WHERE t.task_status <> 'open'
    UNION ALL
    -- overdue (staff-side): the timer fired at the start of the day after the due date
    SELECT %(event_slots)s - 1, 'overdue', false,
           (t.due_date + 1)::timestamp AT TIME ZONE %(tz)s, NULL, '', r.status, r.status,
           t.step_id, t.id, t.due_date::text
    WHERE t.task_status = 'open' AND t.due_date < %(today)s
) e
"""
EVENTS = "INSERT INTO workflow_requestevent ({columns}) SELECT {values}" + EVENT_ROWS
EVENT_VALUES = {
    "id": EVENT_ID,
    "request_id": "r.id",
    **{
        name: f"e.{name}"
        for name in (
            "kind",
            "is_transition",
            "at",
            "actor_id",
            "acting_as",
            "from_status",
            "to_status",
            "step_id",
            "task_id",
            "note",
        )
    },
}

# The applicant's WhatsApp message of each public transition, in a final state.
MESSAGES = (
    "INSERT INTO notifications_message ({columns}) SELECT {values}"
    + EVENT_ROWS
    + "JOIN s_text x ON x.sno = r.sno AND x.event_kind = e.kind AND x.k = t.k "
    "WHERE e.is_transition"
)

LINK = (
    "replace(replace(x.variables->>'{key}', %(sentinel_number)s, r.number), "
    "%(sentinel_token)s, r.access_token)"
)
DUE_TEXT = (
    "extract(day FROM r.due_date)::int || ' ' || "
    "(%(months)s::text[])[extract(month FROM r.due_date)::int]"
    " || ' ' || extract(year FROM r.due_date)::int"
)

MESSAGE_VALUES = {
    "id": "%(message_base)s - %(event_base)s + " + EVENT_ID,
    "request_id": "r.id",
    "event_id": EVENT_ID,
    "task_id": "CASE WHEN e.kind = 'submitted' THEN e.task_id "
    "WHEN e.kind = 'advanced' THEN e.task_id + 1 END",
    "kind": "x.kind",
    "recipient": "'+62812' || lpad((r.n %% 100000000)::text, 8, '0')",
    "channel": "'whatsapp'",
    "language": "'id'",
    "body": "replace(replace(replace(x.body, %(sentinel_number)s, r.number), "
    "%(sentinel_token)s, r.access_token), %(due_text)s, " + DUE_TEXT + ")",
    "content_sid": "x.content_sid",
    # The template's variables with the row's number, links and due date put in.
    "content_variables": "x.variables || jsonb_build_object('1', r.number, '5', "
    + LINK.format(key="5")
    + ", '6', "
    + DUE_TEXT
    + ") || CASE WHEN x.variables ? '7' THEN jsonb_build_object('7', "
    + LINK.format(key="7")
    + ") ELSE '{}'::jsonb END",
    "idempotency_key": "'request:' || r.id || ':event:' || (" + EVENT_ID + ") || ':+62812' || "
    "lpad((r.n %% 100000000)::text, 8, '0') || ':whatsapp'",
    "status": "CASE WHEN r.n %% 4 = 0 THEN 'delivered' ELSE 'read' END",
    "backend": "'twilio'",
    "provider_sid": "'SM' || md5((" + EVENT_ID + ")::text)",
    "attempts": "1",
    "created_at": "e.at",
    "dispatched_at": "e.at + interval '1 second'",
    "sent_at": "e.at + interval '2 seconds'",
    "delivered_at": "e.at + interval '4 seconds'",
    "read_at": "CASE WHEN r.n %% 4 <> 0 THEN e.at + interval '10 minutes' END",
    "status_changed_at": "e.at + CASE WHEN r.n %% 4 <> 0 THEN interval '10 minutes' "
    "ELSE interval '4 seconds' END",
}
# viewflow's state of each open request, as ServiceRequestFlow leaves it: start done, the
# `step` (or, returned, the `correction`) waiting with its timer armed, or, past the due
# date, fired (overdue -> overdue_noted). Finished requests have no process (nothing
# reads one; see README).
FLOW = """
INSERT INTO viewflow_process (id, flow_class, status, created, finished,
    artifact_content_type_id, artifact_object_id, data)
SELECT %(process_base)s + r.rank, 'workflow/flows.ServiceRequestFlow', 'NEW', r.submitted_at,
       NULL, %(content_type)s, r.id,
       jsonb_build_object('registration_number', r.number) || CASE
           WHEN r.status = 'needs_info' THEN '{"outcome": "correction"}'::jsonb
           WHEN r.k > 0 THEN '{"outcome": "next_step"}'::jsonb ELSE '{}'::jsonb END
FROM s_req r WHERE r.cat <> 'done';

CREATE TEMP TABLE s_flow ON COMMIT DROP AS
SELECT r.rank, t.id AS task_id, t.opened_at, t.decided_at, t.task_status, t.due_date,
       r.status, r.correction_days, r.submitted_at,
       %(flow_base)s + (r.rank - 1) * 5 AS base
FROM s_req r JOIN s_task t ON t.rank = r.rank AND t.k = r.k WHERE r.cat <> 'done';

INSERT INTO viewflow_task (id, process_id, flow_task, flow_task_type, status, created,
    started, finished, token, data, scheduled)
SELECT f.base + v.j, %(process_base)s + f.rank, 'workflow/flows.ServiceRequestFlow.' || v.node,
       v.type, v.status, v.created, v.started, v.finished, 'start', v.data, v.scheduled
FROM s_flow f CROSS JOIN LATERAL (
    SELECT 0 AS j, 'start' AS node, 'START' AS type, 'DONE' AS status,
           f.submitted_at AS created, f.submitted_at AS started, f.submitted_at AS finished,
           '{}'::jsonb AS data, NULL::timestamptz AS scheduled
    UNION ALL
    SELECT 1, CASE WHEN f.status = 'needs_info' THEN 'correction' ELSE 'step' END, 'FUNCTION',
           'NEW', coalesce(CASE WHEN f.status = 'needs_info' THEN f.decided_at END, f.opened_at),
           NULL, NULL, '{}'::jsonb, NULL
    UNION ALL
    SELECT 2, CASE WHEN f.status = 'needs_info' THEN 'correction__timeout'
                   ELSE 'step__timeout' END, 'TIMER',
           CASE WHEN f.status <> 'needs_info' AND f.due_date < %(today)s THEN 'DONE'
                ELSE 'SCHEDULED' END,
           coalesce(CASE WHEN f.status = 'needs_info' THEN f.decided_at END, f.opened_at),
           NULL,
           CASE WHEN f.status <> 'needs_info' AND f.due_date < %(today)s
                THEN (f.due_date + 1)::timestamp AT TIME ZONE %(tz)s END,
           CASE WHEN f.status = 'needs_info' THEN '{}'::jsonb
                ELSE jsonb_build_object('task_id', f.task_id) END,
           CASE WHEN f.status = 'needs_info'
                THEN ((f.decided_at AT TIME ZONE %(tz)s)::date + f.correction_days + 1)::timestamp
                     AT TIME ZONE %(tz)s
                ELSE (f.due_date + 1)::timestamp AT TIME ZONE %(tz)s END
    UNION ALL
    SELECT 3, 'overdue', 'FUNCTION', 'DONE', (f.due_date + 1)::timestamp AT TIME ZONE %(tz)s,
           (f.due_date + 1)::timestamp AT TIME ZONE %(tz)s,
           (f.due_date + 1)::timestamp AT TIME ZONE %(tz)s, '{}'::jsonb, NULL
    WHERE f.status <> 'needs_info' AND f.due_date < %(today)s
    UNION ALL
    SELECT 4, 'overdue_noted', 'END', 'DONE', (f.due_date + 1)::timestamp AT TIME ZONE %(tz)s,
           (f.due_date + 1)::timestamp AT TIME ZONE %(tz)s,
           (f.due_date + 1)::timestamp AT TIME ZONE %(tz)s, '{}'::jsonb, NULL
    WHERE f.status <> 'needs_info' AND f.due_date < %(today)s
) v;

INSERT INTO viewflow_task_previous (from_task_id, to_task_id)
SELECT f.base + j, f.base + j - 1 FROM s_flow f CROSS JOIN generate_series(1, 4) AS j
WHERE j <= 2 OR (f.status <> 'needs_info' AND f.due_date < %(today)s);
"""

COUNTERS = """
INSERT INTO workflow_registrationcounter (office_id, year, last)
SELECT office_id, year, max(seq) FROM s_req GROUP BY office_id, year
ON CONFLICT (office_id, year) DO UPDATE SET last = greatest(
    workflow_registrationcounter.last, EXCLUDED.last)
"""
