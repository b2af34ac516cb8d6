// Package faults is the proof of issue 14 part 2, item 2, "Faults survived":
// each fault is done to real processes on a real PostgreSQL, and what must
// hold afterwards is counted and printed as a prooftest.Line.
//
//   - TestKillOneOfTwoInstancesMidCrowd: two `sppt serve` on one database, a
//     crowd booking through both, one killed with SIGKILL part-way (full: the
//     killed one restarted and the kill repeated on alternate instances).
//     Every 201 is in the database, no NIK is booked twice, and the day's
//     counter, the booking rows and capacity − remaining agree.
//   - TestPostgresRestartMidLoad: a private PostgreSQL cluster the test owns,
//     `sppt serve` on it and booking clients running; `pg_ctl restart -m
//     fast`. /readyz goes 503 and back to 200 without SPPT restarting, no
//     acknowledged booking is lost, and every answer is a success or a 503
//     with Retry-After in the contract's error shape, never a 500.
//   - TestKillMidBroadcastWithTwilioBursts: the fake Twilio answering bursts
//     of 429 and 500 (some accepted-then-500); the instance killed with
//     SIGKILL mid-broadcast and started again; every subscriber receives the
//     broadcast exactly once.
//   - TestDisplayReconnectCatchesUp: a display whose connection is cut gets,
//     on reconnecting, a snapshot with what happened while it was away (a
//     walk-in, a call, a finish, a transfer to the pickup queue, the running
//     text, the quota) and then the live events again.
//
// Sizes (prooftest.Size: fast inside `make test`, full under SPPT_PROOF=1):
//
//	crowd:     fast 240 applicants for 200 seats, 12 clients, 1 kill;
//	           full 3,600 for 3,000 seats, 48 clients, 3 kills (each killed
//	           instance restarted before the next kill)
//	restart:   fast 8 booking clients, 1 restart;
//	           full 16 clients, 3 restarts
//	broadcast: fast 150 subscribers, 1 kill;
//	           full 1,200 subscribers, 2 kills
//	display:   fast 1 cut; full 5 cuts
//
// The broadcast proof waits for River's rescue of the killed process's
// jobs (jobs.RescueAfter, 35 s, plus the rescuer's period), so it is the
// long one; the others run beside it.
package faults
