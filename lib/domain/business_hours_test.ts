import assert from "node:assert/strict";
import {
  ALWAYS_OPEN,
  availabilityOf,
  type BusinessHours,
  businessHoursSchema,
  isOpenAt,
  localTime,
  nextOpening,
} from "./business_hours.ts";

const at = (iso: string) => Date.parse(iso);
const weekdays9to17 = (timeZone: string, extra: Partial<BusinessHours> = {}): BusinessHours => ({
  enabled: true,
  timeZone,
  weekly: {
    mon: [{ from: "09:00", to: "17:00" }],
    tue: [{ from: "09:00", to: "17:00" }],
    wed: [{ from: "09:00", to: "17:00" }],
    thu: [{ from: "09:00", to: "17:00" }],
    fri: [{ from: "09:00", to: "17:00" }],
    sat: [],
    sun: [{ from: "09:00", to: "17:00" }],
  },
  holidays: [],
  ...extra,
});

Deno.test("[hours] DST: 09:00 local stays 09:00 local across Berlin's spring-forward and fall-back", () => {
  const berlin = weekdays9to17("Europe/Berlin");
  // Sunday 29 March 2026: clocks go 02:00 CET → 03:00 CEST. 09:00 local = 07:00 UTC that day.
  assert.equal(isOpenAt(berlin, at("2026-03-29T06:59:00Z")), false, "08:59 CEST");
  assert.equal(isOpenAt(berlin, at("2026-03-29T07:00:00Z")), true, "09:00 CEST");
  assert.equal(isOpenAt(berlin, at("2026-03-29T14:59:00Z")), true, "16:59 CEST");
  assert.equal(isOpenAt(berlin, at("2026-03-29T15:00:00Z")), false, "17:00 CEST");
  // The Friday before (CET, UTC+1): 09:00 local = 08:00 UTC.
  assert.equal(isOpenAt(berlin, at("2026-03-27T07:30:00Z")), false, "08:30 CET");
  assert.equal(isOpenAt(berlin, at("2026-03-27T08:00:00Z")), true, "09:00 CET");
  // Sunday 25 October 2026: 03:00 CEST → 02:00 CET. 09:00 local = 08:00 UTC again.
  assert.equal(isOpenAt(berlin, at("2026-10-25T07:30:00Z")), false, "08:30 CET after fall-back");
  assert.equal(isOpenAt(berlin, at("2026-10-25T08:00:00Z")), true);
  assert.equal(isOpenAt(berlin, at("2026-10-24T07:30:00Z")), false, "Saturday is closed");
  // The next opening, seen from Saturday night before the change, is 09:00 CEST Sunday.
  assert.equal(
    new Date(nextOpening(berlin, at("2026-03-28T20:00:00Z"))!).toISOString(),
    "2026-03-29T07:00:00.000Z",
  );
  assert.equal(
    new Date(nextOpening(berlin, at("2026-10-24T20:00:00Z"))!).toISOString(),
    "2026-10-25T08:00:00.000Z",
  );
  assert.equal(nextOpening(berlin, at("2026-03-27T08:00:00Z")), null, "open now");
});

Deno.test("[hours] DST: an overnight range through New York's spring-forward night", () => {
  // Saturday 22:00 to Sunday 04:00; on 8 March 2026 02:00 EST jumps to 03:00 EDT.
  const ny: BusinessHours = {
    ...ALWAYS_OPEN,
    enabled: true,
    timeZone: "America/New_York",
    weekly: { ...ALWAYS_OPEN.weekly, sat: [{ from: "22:00", to: "04:00" }] },
  };
  assert.equal(isOpenAt(ny, at("2026-03-08T02:59:00Z")), false, "21:59 EST Saturday");
  assert.equal(isOpenAt(ny, at("2026-03-08T03:00:00Z")), true, "22:00 EST Saturday");
  assert.equal(isOpenAt(ny, at("2026-03-08T06:59:00Z")), true, "01:59 EST Sunday");
  assert.equal(isOpenAt(ny, at("2026-03-08T07:00:00Z")), true, "03:00 EDT (02:00 never happens)");
  assert.equal(isOpenAt(ny, at("2026-03-08T07:59:00Z")), true, "03:59 EDT");
  assert.equal(isOpenAt(ny, at("2026-03-08T08:00:00Z")), false, "04:00 EDT: closed (5 h, not 6)");
  assert.deepEqual(localTime(at("2026-03-08T07:00:00Z"), "America/New_York"), {
    date: "2026-03-08",
    weekday: "sun",
    minutes: 180,
  });
});

Deno.test("[hours] holidays close their whole local date, overnight tails included; off = always open", () => {
  const hours: BusinessHours = {
    ...weekdays9to17("Europe/Madrid"),
    weekly: {
      ...weekdays9to17("Europe/Madrid").weekly,
      thu: [{ from: "09:00", to: "17:00" }, { from: "20:00", to: "02:00" }],
    },
    holidays: ["2026-12-25"], // a Friday
  };
  // Thursday 24 December 20:00 CET runs overnight; Friday 25th is a holiday: closed at 01:00.
  assert.equal(isOpenAt(hours, at("2026-12-24T19:30:00Z")), true, "20:30 Thursday");
  assert.equal(isOpenAt(hours, at("2026-12-25T00:30:00Z")), false, "01:30 on the holiday");
  assert.equal(isOpenAt(hours, at("2026-12-25T10:00:00Z")), false, "11:00 on the holiday");
  // An ordinary Thursday night: open until 02:00 Friday.
  assert.equal(isOpenAt(hours, at("2026-12-18T00:30:00Z")), true, "01:30 Friday after Thursday");
  assert.equal(isOpenAt(hours, at("2026-12-18T01:00:00Z")), false, "02:00 Friday");
  // A holiday Thursday does not open its evening either, nor the tail after midnight.
  const thursdayOff = { ...hours, holidays: ["2026-12-17"] };
  assert.equal(isOpenAt(thursdayOff, at("2026-12-17T19:30:00Z")), false);
  assert.equal(isOpenAt(thursdayOff, at("2026-12-18T00:30:00Z")), false);
  // From the holiday, the next opening is Saturday? No: Saturday is closed; Sunday 09:00 CET.
  assert.equal(
    new Date(nextOpening(hours, at("2026-12-25T10:00:00Z"))!).toISOString(),
    "2026-12-27T08:00:00.000Z",
  );
  assert.equal(isOpenAt({ ...hours, enabled: false }, at("2026-12-25T10:00:00Z")), true);
  assert.equal(isOpenAt(ALWAYS_OPEN, at("2026-12-25T10:00:00Z")), true);
  const never = { ...hours, weekly: ALWAYS_OPEN.weekly };
  assert.equal(nextOpening(never, at("2026-12-25T10:00:00Z")), null, "nothing ever opens");
});

Deno.test("[hours] the schema says what is wrong, in words", () => {
  const ok = businessHoursSchema.safeParse({
    ...weekdays9to17("Europe/Berlin"),
    holidays: ["2026-12-26", "2026-12-25", "2026-12-25"],
  });
  assert.ok(ok.success);
  assert.deepEqual(ok.data.holidays, ["2026-12-25", "2026-12-26"], "sorted, once each");
  const bad = (patch: Record<string, unknown>) => {
    const r = businessHoursSchema.safeParse({ ...weekdays9to17("Europe/Berlin"), ...patch });
    assert.equal(r.success, false);
    return r.error!.issues.map((i) => i.message).join("; ");
  };
  assert.match(bad({ timeZone: "Mars/Olympus" }), /Unknown time zone/);
  assert.match(bad({ holidays: ["2026-02-30"] }), /Not a real date/);
  assert.match(bad({ holidays: ["25.12.2026"] }), /YYYY-MM-DD/);
  assert.match(
    bad({ weekly: { ...ALWAYS_OPEN.weekly, mon: [{ from: "9:00", to: "17:00" }] } }),
    /HH:MM/,
  );
  assert.match(
    bad({ weekly: { ...ALWAYS_OPEN.weekly, mon: [{ from: "09:00", to: "09:00" }] } }),
    /same time/,
  );
});

Deno.test("[hours] availability: hours off always chat; on, closed by the hours (with the next opening) or by nobody Online", () => {
  const berlin = weekdays9to17("Europe/Berlin");
  const monday10 = at("2026-03-30T08:00:00Z"); // 10:00 CEST
  assert.deepEqual(availabilityOf(ALWAYS_OPEN, false, monday10), {
    open: true,
    reason: null,
    opensAt: null,
    timeZone: null,
  });
  assert.deepEqual(availabilityOf(berlin, true, monday10), {
    open: true,
    reason: null,
    opensAt: null,
    timeZone: "Europe/Berlin",
  });
  assert.equal(availabilityOf(berlin, false, monday10).reason, "nobody_online");
  assert.deepEqual(availabilityOf(berlin, true, at("2026-03-30T16:00:00Z")), {
    open: false,
    reason: "closed_hours",
    opensAt: "2026-03-31T07:00:00.000Z",
    timeZone: "Europe/Berlin",
  });
});
