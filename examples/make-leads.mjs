#!/usr/bin/env node
// Writes examples/leads.csv: 300 realistic leads, the same bytes on every run (seeded PRNG), with
// deliberately bad rows so that an import shows what validation and the failure report do:
// missing or malformed emails, malformed phones, duplicates, and unknown time zones.
// Run: node examples/make-leads.mjs
import { writeFileSync } from "node:fs";

let seed = 20240607;
function random() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const digits = (n) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");

const FIRST = [
  "Olivia",
  "Liam",
  "Emma",
  "Noah",
  "Ava",
  "Mateo",
  "Sophia",
  "Lucas",
  "Isabella",
  "Ethan",
  "Mia",
  "Amelia",
  "Harper",
  "Elijah",
  "Aiko",
  "Ravi",
  "Priya",
  "Chen",
  "Fatima",
  "Omar",
  "Léa",
  "Jonas",
  "Sofia",
  "Lukas",
  "Hannah",
  "Diego",
  "Camila",
  "Yusuf",
  "Ingrid",
  "Mark",
  "Grace",
  "Daniel",
  "Zoë",
  "Kwame",
  "Nia",
  "Tomás",
  "Anna",
  "Pierre",
  "Mei",
  "Sara",
];
const LAST = [
  "Smith",
  "Johnson",
  "Garcia",
  "Martinez",
  "Brown",
  "Nguyen",
  "Patel",
  "Kim",
  "Müller",
  "Schmidt",
  "Dubois",
  "Rossi",
  "Silva",
  "O'Connor",
  "Andersson",
  "Kowalski",
  "Tanaka",
  "Sato",
  "Hernández",
  "Cohen",
  "Okafor",
  "Mensah",
  "Larsen",
  "Novak",
  "Fischer",
  "Moreau",
  "Costa",
  "Walsh",
  "Singh",
  "Chen",
  "Haddad",
  "Ivanova",
  "Jensen",
  "Reyes",
];
const COMPANIES = [
  ["Northwind Analytics", "northwind-analytics.com", "Software"],
  ["Bluefin Logistics", "bluefinlogistics.com", "Logistics"],
  ["Cobalt & Pine", "cobaltandpine.com", "Consulting"],
  ["Harborview Health", "harborviewhealth.org", "Healthcare"],
  ["Quillstone Labs", "quillstonelabs.io", "Software"],
  ["Redwood Freight, Inc.", "redwoodfreight.com", "Logistics"],
  ["Lumen Dental Group", "lumendental.com", "Healthcare"],
  ["Tidewater Capital", "tidewatercap.com", "Finance"],
  ["Aster Robotics", "asterrobotics.de", "Manufacturing"],
  ["Maison Verre", "maisonverre.fr", "Retail"],
  ["Kestrel Security", "kestrelsec.co.uk", "Security"],
  ["Brightline Education", "brightline.edu.au", "Education"],
  ["Sakura Foods", "sakurafoods.jp", "Food & Beverage"],
  ["Vela Energy", "velaenergy.es", "Energy"],
  ["Granite Peak Realty", "granitepeakrealty.com", "Real Estate"],
];
const TITLES = [
  "Head of Growth",
  "VP of Sales",
  "Marketing Manager",
  "Chief Operating Officer",
  "Founder & CEO",
  "Sales Development Representative",
  "Director of Procurement",
  "IT Manager",
  "Office Manager",
  "Head of People",
  "Account Executive",
  "CTO",
  "Operations Lead",
  "Customer Success Manager",
];
const SOURCES = ["Webinar", "Trade show", "Inbound form", "Referral", "LinkedIn ad", "Cold list"];
// [phone formatter, time zone]: national US numbers need --default-country US; the rest carry their country code.
const REGIONS = [
  [() => `(415) 555-${digits(4)}`, "America/Los_Angeles"],
  [() => `415.555.${digits(4)}`, "Pacific Standard Time"],
  [() => `(212) 555-${digits(4)}`, "America/New_York"],
  [() => `+1 646 555 ${digits(4)}`, "Eastern Standard Time"],
  [() => `312-555-${digits(4)}`, "Central Standard Time"],
  [() => `+1 (312) 555-${digits(4)}`, "America/Chicago"],
  [() => `+44 20 7946 0${digits(3)}`, "Europe/London"],
  [() => `+44 20 7946 0${digits(3)}`, "GMT Standard Time"],
  [() => `+49 30 9018${digits(2)}`, "Europe/Berlin"],
  [() => `+49 30 9018${digits(2)}`, "W. Europe Standard Time"],
  [() => `+33 1 42 68 ${digits(2)} ${digits(2)}`, "Europe/Paris"],
  [() => `+61 2 9374 ${digits(4)}`, "Australia/Sydney"],
  [() => `+81 3-3224-${digits(4)}`, "Tokyo Standard Time"],
  [() => `+34 912 345 ${digits(3)}`, "Europe/Madrid"],
];

const ascii = (s) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();
const header = [
  "First Name",
  "Last Name",
  "Email",
  "Phone Number",
  "Company",
  "Job Title",
  "Website",
  "LinkedIn",
  "Time Zone",
  "Lead Source",
  "Industry",
];
const rows = [];
const emails = new Set();
while (rows.length < 300) {
  const first = pick(FIRST);
  const last = pick(LAST);
  const [company, domain, industry] = pick(COMPANIES);
  const email = `${ascii(first)}.${ascii(last)}@${domain}`;
  if (emails.has(email)) continue;
  emails.add(email);
  const [phone, timeZone] = pick(REGIONS);
  rows.push([
    first,
    last,
    email,
    random() < 0.12 ? "" : phone(),
    company,
    pick(TITLES),
    `https://${domain}`,
    random() < 0.7 ? `https://www.linkedin.com/in/${ascii(first)}-${ascii(last)}-${digits(3)}` : "",
    random() < 0.1 ? "" : timeZone,
    pick(SOURCES),
    industry,
  ]);
}

// The deliberately bad rows, at fixed places (row numbers in the file are index + 2).
const set = (i, column, value) => {
  rows[i][header.indexOf(column)] = value;
};
for (const i of [12, 47, 88, 133, 171, 204, 266]) set(i, "Email", ""); // missing email
set(29, "Email", "maria.costa@"); // malformed emails
set(158, "Email", "j.walsh@@kestrelsec.co.uk");
set(241, "Email", "no email on file");
for (const [i, phone] of [
  [21, "12345"],
  [64, "+1 555"],
  [99, "call after 3pm"],
  [147, "+44 20 79"],
  [188, "555-CALL-NOW"],
  [233, "0000000000"],
]) {
  set(i, "Phone Number", phone); // malformed phones
}
for (const [i, zone] of [
  [35, "Mars/Olympus_Mons"],
  [110, "Pacific Time"],
  [177, "GMT+25"],
  [259, "Middle Earth Standard Time"],
]) {
  set(i, "Time Zone", zone); // unknown time zones
}
// Duplicates: later rows repeating an earlier lead's email, as exports merged from two sources do.
for (const [i, of] of [
  [52, 3],
  [119, 40],
  [183, 77],
  [222, 150],
  [287, 9],
  [295, 200],
]) {
  const copy = [...rows[of]];
  if (i % 2 === 0) copy[2] = copy[2].toUpperCase(); // same address, other case
  copy[header.indexOf("Lead Source")] = "Trade show";
  rows[i] = copy;
}

const cell = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = `${[header, ...rows].map((r) => r.map(cell).join(",")).join("\n")}\n`;
writeFileSync(new URL("./leads.csv", import.meta.url), csv);
console.log(`wrote examples/leads.csv: ${rows.length} leads`);
