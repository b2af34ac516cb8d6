// Package officeday drives one office's working day through a running SPPT
// server's HTTP API (issue 12, CONTRACT.md `sppt simulate officeday`):
// applicants book online or walk in, take their number at the kiosk, are
// called to the One Stop Service desk, captured at a biometric station,
// approved, pay at the bank or the cashier, have their passport printed
// and validated, and collect it at the pickup counter after the "ready"
// SMS, each step done by the demo officers and enrolled devices as people
// would, with service times drawn from a seeded distribution.
//
// Time is the server's: the simulation reads the deployment's clock (the
// shared SPPT_NOW timeline, or the in-process clock of a benchmark) and
// waits a simulated minute as 60 s / rate of real time, so a day at
// SPPT_CLOCK_RATE=120 takes about five minutes. The predicted call time the
// kiosk prints on each ticket is compared with the time the ticket was
// called: that is wait_err_p90_min.
//
// What needs an operator rather than a citizen or an officer — opening the
// day's quota, booth layout, enrolling the simulation's devices, receiving
// blank booklets, a citizen token in place of each phone's OTP (as `sppt
// token citizen` gives load tests), reading the applicants' phones, signing
// as the bank, and the closing checks — goes through Operator.
package officeday
