/**
 * What the demo data says: people, teams, quick responses and the conversations customers have
 * with a support team (an online shop). Plain data, read by ./seed.ts.
 */

export const DEMO_PASSWORD = "parley-demo-2026";

export const DEMO_TEAMS = ["Billing", "Support"] as const;

export const DEMO_STAFF = [
  { name: "Alex Admin", email: "admin@demo.parley.test", role: "admin", team: null },
  { name: "Sam Supervisor", email: "sam@demo.parley.test", role: "supervisor", team: null },
  { name: "Ana Lima", email: "ana@demo.parley.test", role: "agent", team: "Support" },
  { name: "Ben Okafor", email: "ben@demo.parley.test", role: "agent", team: "Support" },
  { name: "Chloé Martin", email: "chloe@demo.parley.test", role: "agent", team: "Support" },
  { name: "Dev Patel", email: "dev@demo.parley.test", role: "agent", team: "Billing" },
  { name: "Eva Novak", email: "eva@demo.parley.test", role: "agent", team: "Billing" },
] as const;

export const DEMO_QUICK_RESPONSES = [
  {
    title: "Greeting",
    shortcut: "hi",
    body: "Hi {{contact.firstName}}, thanks for reaching out! Let me take a look.",
  },
  {
    title: "Order lookup",
    shortcut: "order",
    body: "Could you share your order number ({{field:Order number}})?",
  },
  {
    title: "Refund policy",
    shortcut: "refund",
    body: "Refunds go back to the original payment method within 5 business days.",
  },
  {
    title: "Shipping times",
    shortcut: "shipping",
    body: "Standard shipping takes 2–4 business days; express arrives next day.",
  },
  {
    title: "Closing",
    shortcut: "bye",
    body: "Glad I could help, {{contact.firstName}}. Have a great day!",
  },
] as const;

export const FIRST_NAMES = [
  "Maria",
  "João",
  "Aisha",
  "Liam",
  "Sofia",
  "Noah",
  "Yuki",
  "Omar",
  "Emma",
  "Lucas",
  "Priya",
  "Mateo",
  "Hannah",
  "Kenji",
  "Fatima",
  "Oliver",
  "Chen",
  "Isabella",
  "Tomás",
  "Amara",
] as const;
export const LAST_NAMES = [
  "Silva",
  "Santos",
  "Khan",
  "Murphy",
  "Rossi",
  "Schmidt",
  "Tanaka",
  "Haddad",
  "Dubois",
  "Costa",
  "Sharma",
  "García",
  "Müller",
  "Sato",
  "Ali",
  "Brown",
  "Wang",
  "López",
  "Ferreira",
  "Okoro",
] as const;

/** One kind of conversation: who it goes to, what is said, how it is wrapped up. */
export interface Scenario {
  team: (typeof DEMO_TEAMS)[number] | null;
  tags: string[];
  /** Alternating lines, customer first. */
  lines: string[];
  notes: string;
}

export const SCENARIOS: Scenario[] = [
  {
    team: "Support",
    tags: ["shipping"],
    lines: [
      "Hi, my order hasn't arrived yet. It's been a week.",
      "Sorry about the wait! Could you share your order number?",
      "It's A-{order}.",
      "Thanks. It left our warehouse on Monday; the carrier shows it out for delivery tomorrow.",
      "Great, thanks!",
    ],
    notes: "Order A-{order} delayed at the carrier; delivery tomorrow.",
  },
  {
    team: "Billing",
    tags: ["refund", "billing"],
    lines: [
      "I was charged twice for the same order.",
      "I'm sorry about that. Let me check the payments on your account.",
      "Order A-{order}, both charges on the same day.",
      "I see the duplicate charge and have refunded it. It shows up within 5 business days.",
    ],
    notes: "Duplicate charge on A-{order} refunded.",
  },
  {
    team: "Support",
    tags: ["returns"],
    lines: [
      "How do I return a jacket that doesn't fit?",
      "You can return it within 30 days. I'll email you a prepaid label now.",
      "Perfect, got it.",
    ],
    notes: "Return label sent for order A-{order}.",
  },
  {
    team: null,
    tags: ["product"],
    lines: [
      "Is the blue backpack waterproof?",
      "It's water-resistant: fine in rain, not for submerging. The Pro model is fully waterproof.",
      "Thanks, I'll take the Pro.",
    ],
    notes: "Pre-sales question, recommended the Pro backpack.",
  },
  {
    team: "Billing",
    tags: ["invoice"],
    lines: [
      "Can I get an invoice with my company's VAT number?",
      "Of course. What VAT number should it show?",
      "DE{order}77",
      "Done: the corrected invoice is in your account under Orders.",
    ],
    notes: "Reissued invoice with VAT number.",
  },
  {
    team: "Support",
    tags: ["account"],
    lines: [
      "I can't log in, it says my password is wrong.",
      "I've sent you a reset link. It's valid for one hour.",
      "That worked, thank you!",
    ],
    notes: "Password reset link sent; customer signed in.",
  },
];

/** Opening lines of the chats still open at the end (waiting or being answered). */
export const OPEN_LINES = [
  "Hello? I need help with my order A-{order}.",
  "Do you ship to Portugal?",
  "My discount code isn't working at checkout.",
  "The app crashes when I open my orders.",
  "Can I change the delivery address for order A-{order}?",
  "I'd like to cancel my subscription.",
] as const;
