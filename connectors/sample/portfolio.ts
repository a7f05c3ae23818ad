/**
 * The static demo company behind the `sample` connector: Acme Retail (Jira Cloud at
 * acme.atlassian.net) and its subsidiary Contoso (Azure DevOps at dev.azure.com/contoso).
 * `generate.ts` turns these seeds into a dated, seeded portfolio; nothing here depends on time.
 */

export const JIRA_BASE_URL = 'https://acme.atlassian.net';
export const ADO_ORG_URL = 'https://dev.azure.com/contoso';

/** Labels a demo config can map to objectives; every epic carries exactly one of them. */
export const OBJECTIVE_LABELS = ['growth', 'retention', 'compliance', 'tech-debt', 'klt'] as const;
export type ObjectiveLabel = (typeof OBJECTIVE_LABELS)[number];

/** Azure DevOps ids are org-wide: each ADO team owns a block of ids so keys never collide. */
export const ADO_FIRST_ID = 4101;
export const ADO_ID_BLOCK = 300;

export interface PersonSeed {
  name: string;
  /** Null where the tool hides the address (Jira privacy setting, external vendor account). */
  email: string | null;
}

export const PEOPLE = {
  priya: { name: 'Priya Raman', email: 'priya.raman@acme.example' },
  lukas: { name: 'Lukas Becker', email: 'lukas.becker@acme.example' },
  sofia: { name: 'Sofia Marquez', email: 'sofia.marquez@acme.example' },
  daniel: { name: 'Daniel Okafor', email: 'daniel.okafor@acme.example' },
  hannah: { name: 'Hannah Schulz', email: 'hannah.schulz@acme.example' },
  mateo: { name: 'Mateo Rossi', email: 'mateo.rossi@acme.example' },
  aiko: { name: 'Aiko Tanaka', email: 'aiko.tanaka@acme.example' },
  oliver: { name: 'Oliver Grant', email: 'oliver.grant@acme.example' },
  ines: { name: 'Inês Carvalho', email: 'ines.carvalho@acme.example' },
  chloe: { name: 'Chloé Dubois', email: 'chloe.dubois@acme.example' },
  ravi: { name: 'Ravi Menon', email: null },
  sam: { name: 'Sam Whitaker', email: 'sam.whitaker@acme.example' },
  emma: { name: 'Emma Johansson', email: 'emma.johansson@contoso.example' },
  noah: { name: 'Noah Williams', email: 'noah.williams@contoso.example' },
  fatima: { name: 'Fatima Al-Sayed', email: 'fatima.alsayed@contoso.example' },
  jonas: { name: 'Jonas Nielsen', email: 'jonas.nielsen@contoso.example' },
  grace: { name: 'Grace Kim', email: 'grace.kim@contoso.example' },
  marcus: { name: 'Marcus Silva', email: 'marcus.silva@contoso.example' },
  wei: { name: 'Wei Zhang', email: 'wei.zhang@contoso.example' },
  tom: { name: 'Tom Baker (Northwind Consulting)', email: null },
} as const satisfies Record<string, PersonSeed>;
export type PersonHandle = keyof typeof PEOPLE;

/** First and last names for the people of the extra business units added when `size` grows. */
export const FIRST_NAMES = [
  'Ana', 'Ben', 'Carla', 'David', 'Elena', 'Felix', 'Gita', 'Hugo', 'Ivy', 'Jamal', 'Kira', 'Leo',
  'Maya', 'Nils', 'Olga', 'Pavel', 'Rosa', 'Theo', 'Uma', 'Victor', 'Yara', 'Zoe',
] as const;
export const LAST_NAMES = [
  'Adler', 'Brandt', 'Costa', 'Dahl', 'Evans', 'Fischer', 'Garcia', 'Hansen', 'Ito', 'Jensen', 'Kowalski',
  'Larsen', 'Moreau', 'Novak', 'Ortiz', 'Patel', 'Quinn', 'Reyes', 'Sato', 'Tran', 'Varga', 'Weber',
] as const;

export type Shape = 'jira' | 'ado';
export type Cadence = 'scrum' | 'kanban' | 'stage-gate';
export type ContainerState = 'todo' | 'in_progress' | 'done';

export interface FeatureSeed {
  title: string;
}

export interface EpicSeed {
  title: string;
  label: ObjectiveLabel;
  state: ContainerState;
  /** Who the stories are for and why, used in "As a …, I want … so that …" descriptions. */
  persona: string;
  benefit: string;
  stories: readonly string[];
  /** Azure DevOps only: the features between the epic and its user stories. */
  features?: readonly string[];
  /** Stage-gate projects only: the gate the epic has reached. */
  gate?: string;
}

export interface SprintPlanSeed {
  /** Number of the sprint that is active now; five closed ones precede it, one future one follows. */
  active: number;
  /** How many days ago the active sprint started (2–13: sprints last 14 days). */
  startedDaysAgo: number;
  /** Goals oldest first: five closed, the active one, the future one; null = no goal set. */
  goals: readonly (string | null)[];
}

export interface TeamSeed {
  shape: Shape;
  /** Jira project key or Azure DevOps project name. */
  project: string;
  projectName: string;
  team: string;
  /** Azure DevOps area path below the project, e.g. `Checkout` for `Fabrikam\Checkout`. */
  area?: string;
  cadence: Cadence;
  /** Work items at the default size; the weights add up to DEFAULT_SIZE. */
  weight: number;
  lead: PersonHandle;
  members: readonly PersonHandle[];
  /** The one member who carries far more work in progress than the others. */
  overloaded?: PersonHandle;
  /** Work in progress per member as [min, max] where it is not the usual 1–3. */
  wip?: Partial<Record<PersonHandle, readonly [number, number]>>;
  sprints?: SprintPlanSeed;
  components: readonly string[];
  /** Team labels (Jira) or tags (ADO) that map to no objective. */
  tags: readonly string[];
  /** Objective label on the small share of work aligned by label rather than by epic. */
  labelOnly?: ObjectiveLabel;
  /** What the product area is called in bug reproduction steps. */
  surface: string;
  epics: readonly EpicSeed[];
  bugs: readonly string[];
  tasks: readonly string[];
  /** Work nobody tied to an epic or objective: support asks, chores, ad-hoc requests. */
  chores: readonly string[];
  risks: readonly string[];
}

export const TEAMS: readonly TeamSeed[] = [
  {
    shape: 'jira',
    project: 'PAY',
    projectName: 'Payments',
    team: 'Payments',
    cadence: 'scrum',
    weight: 60,
    lead: 'priya',
    members: ['priya', 'lukas', 'sofia'],
    overloaded: 'lukas',
    sprints: {
      active: 41,
      startedDaysAgo: 8,
      goals: [
        'Ledger dual-write live in staging',
        'Backfill ledger history and start shadow reads',
        'Cut balance reads over to Postgres',
        'Smart retries MVP behind a feature flag',
        'Instant payout fee model and scheduling API',
        '3-D Secure 2 challenge flow ready for the EU pilot',
        'Instant payouts beta for 50 sellers',
      ],
    },
    components: ['card-processing', 'payouts', 'ledger', 'checkout-api', 'auth'],
    tags: ['backend', 'frontend', 'api', 'pci', 'customer-reported'],
    labelOnly: 'klt',
    surface: 'the seller payouts page',
    epics: [
      {
        title: 'Instant payouts for marketplace sellers',
        label: 'growth',
        state: 'in_progress',
        persona: 'marketplace seller',
        benefit: 'I get my money the same day I make a sale',
        stories: [
          'Payout scheduling API for sellers',
          'Instant payout fee calculation',
          'Seller payout dashboard with status timeline',
          'Payout confirmation emails',
          'Payouts to debit cards via Visa Direct',
          'Daily instant payout limit per seller risk tier',
          'Reconcile instant payouts against bank statements',
        ],
      },
      {
        title: 'Strong Customer Authentication (PSD2 SCA) for EU cards',
        label: 'compliance',
        state: 'in_progress',
        persona: 'EU card holder',
        benefit: 'my payment is authenticated as the regulation requires',
        stories: [
          '3-D Secure 2 challenge flow in web checkout',
          'Exemption handling for low-value transactions',
          'SCA outcome in payment events webhook',
          'Fallback when the issuer ACS times out',
          'Audit log of authentication outcomes',
          'Update PCI DSS evidence for the 3DS changes',
        ],
      },
      {
        title: 'Smart retries for failed subscription payments',
        label: 'retention',
        state: 'in_progress',
        persona: 'subscriber',
        benefit: 'my subscription does not lapse because of a temporary decline',
        stories: [
          'Retry schedule based on decline code',
          'Card account updater for expired cards',
          'Dunning email sequence with update-card link',
          'Recovered revenue dashboard',
          'Stop retries after hard declines',
        ],
      },
      {
        title: 'Ledger migration from Oracle to Postgres',
        label: 'tech-debt',
        state: 'done',
        persona: 'payments engineer',
        benefit: 'the ledger runs on the platform we operate everywhere else',
        stories: [
          'Dual-write ledger entries to Postgres',
          'Backfill historical ledger entries',
          'Shadow-read comparison job',
          'Cut balance reads over to Postgres',
          'Decommission the Oracle ledger schema',
        ],
      },
      {
        title: 'Multi-currency settlement (EUR, GBP, SEK)',
        label: 'growth',
        state: 'todo',
        persona: 'merchant outside the eurozone',
        benefit: 'I am paid out in my own currency',
        stories: [
          'FX rate provider integration',
          'Settlement currency per merchant',
          'Settlement currency in merchant reports',
        ],
      },
    ],
    bugs: [
      'Refund webhook sent twice on partial refunds',
      "Payout status stuck in 'processing' after bank timeout",
      'Rounding error on JPY amounts in receipts',
      '3DS iframe does not resize on Safari 18',
      'Idempotency key ignored when a capture is retried',
      'Wrong VAT on invoices for Norwegian merchants',
    ],
    tasks: [
      'Rotate PSP API credentials',
      'Upgrade the Stripe SDK',
      'Alert on payout queue depth',
      'Load test the capture endpoint at twice peak traffic',
    ],
    chores: [
      'Investigate flaky card-processing integration test',
      'Answer finance question on Q3 chargeback numbers',
      'Clean up unused feature flags',
      'Update the team onboarding wiki',
    ],
    risks: [
      'PSP contract renewal may raise transaction fees',
      'Only one engineer knows the settlement batch job',
      'Bank deprecates the legacy payout endpoint before we migrate',
    ],
  },
  {
    shape: 'jira',
    project: 'MOB',
    projectName: 'Mobile App',
    team: 'Mobile',
    cadence: 'scrum',
    weight: 50,
    lead: 'daniel',
    members: ['daniel', 'hannah', 'mateo'],
    overloaded: 'hannah',
    sprints: {
      active: 27,
      startedDaysAgo: 3,
      goals: [
        'Top five crashes fixed',
        'Image loading migrated to Coil',
        'New tab bar navigation in beta',
        'Personalised home feed behind a flag',
        'VoiceOver labels on checkout screens',
        null,
        'Notification preferences shipped',
      ],
    },
    components: ['ios', 'android', 'push', 'design-system'],
    tags: ['ios', 'android', 'ux', 'customer-reported'],
    surface: 'the mobile app',
    epics: [
      {
        title: 'Mobile app 5.0: new home and navigation',
        label: 'growth',
        state: 'in_progress',
        persona: 'shopper on the app',
        benefit: 'I find what I want in fewer taps',
        stories: [
          'New tab bar navigation',
          'Personalised home feed',
          'Dark mode for all screens',
          'First-launch onboarding carousel',
          'Deep links to product pages',
          'App Store screenshots and release notes for 5.0',
        ],
      },
      {
        title: 'Re-engagement push notifications',
        label: 'retention',
        state: 'in_progress',
        persona: 'returning shopper',
        benefit: 'I hear about things I care about and nothing else',
        stories: [
          'Notification preferences screen',
          'Abandoned-cart push after 24 hours',
          'Price-drop alerts for saved items',
          'Quiet hours for notifications',
          'Push opt-in rate by cohort',
        ],
      },
      {
        title: 'Accessibility: WCAG 2.2 AA in the apps',
        label: 'compliance',
        state: 'in_progress',
        persona: 'shopper using a screen reader',
        benefit: 'I can complete a purchase without help',
        stories: [
          'VoiceOver labels for checkout screens',
          'TalkBack support for the product gallery',
          'Dynamic type support',
          'Colour contrast fixes in the design system',
          'Accessibility statement in app settings',
        ],
      },
      {
        title: 'Crash-free sessions to 99.8%',
        label: 'klt',
        state: 'done',
        persona: 'shopper on the app',
        benefit: 'the app does not crash while I shop',
        stories: [
          'Fix the top five crashes from Crashlytics',
          'Migrate image loading to Coil',
          'ANR monitoring',
          'Reduce cold start time',
        ],
      },
      {
        title: 'Offline order history',
        label: 'retention',
        state: 'todo',
        persona: 'commuter',
        benefit: 'I can see my orders without signal',
        stories: ['Cache the last 50 orders on device', 'Sync queue for offline actions', 'Offline banner'],
      },
    ],
    bugs: [
      'App crashes when rotating the product gallery on Android 15',
      'Login loop after password reset on iOS',
      'Push token not refreshed after reinstall',
      'Wrong currency symbol in cart for en-IE',
      'Keyboard covers the promo code field',
      'Badge count not cleared after reading notifications',
    ],
    tasks: [
      'Raise minimum iOS version to 17',
      'Renew the Apple push certificate',
      'Update the Firebase SDK',
      'Set up staged rollout in Play Console',
    ],
    chores: [
      'Reply to App Store review about login',
      'Investigate slow iOS CI builds',
      'Prepare design review for Q1 planning',
    ],
    risks: [
      'App Store guideline change on in-app payments',
      'Only one iOS engineer holds release signing access',
    ],
  },
  {
    shape: 'jira',
    project: 'DATA',
    projectName: 'Data Platform',
    team: 'Data Platform',
    cadence: 'scrum',
    weight: 45,
    lead: 'aiko',
    members: ['aiko', 'oliver', 'ines'],
    wip: { oliver: [1, 1] },
    sprints: {
      active: 33,
      startedDaysAgo: 10,
      goals: [
        'Orders topic on Kafka with schema registry',
        'Payments ingestion through Kafka Connect',
        'Erasure requests flow from the privacy portal',
        'Unified customer id in staging',
        'Customer 360 table in Snowflake',
        'Deletions propagate to warehouse and backups',
        'Reverse ETL of customer 360 to the CRM',
      ],
    },
    components: ['ingestion', 'warehouse', 'dbt', 'ml-features', 'governance'],
    tags: ['kafka', 'dbt', 'snowflake', 'privacy'],
    surface: 'the revenue dashboard',
    epics: [
      {
        title: 'Customer 360 data model',
        label: 'growth',
        state: 'in_progress',
        persona: 'marketing analyst',
        benefit: 'I can target campaigns on one view of the customer',
        stories: [
          'Unified customer id across web, app and stores',
          'Customer 360 table in Snowflake',
          'Lifetime value metric in dbt',
          'Reverse ETL of customer 360 to the CRM',
          'Data quality checks on customer 360',
        ],
      },
      {
        title: 'GDPR retention and right-to-erasure pipeline',
        label: 'compliance',
        state: 'in_progress',
        persona: 'data protection officer',
        benefit: 'we can prove every erasure request was honoured on time',
        stories: [
          'Erasure request intake from the privacy portal',
          'Propagate deletions to warehouse and backups',
          'Retention policy per dataset',
          'Erasure completion report for the DPO',
          'PII tags in the data catalog',
        ],
      },
      {
        title: 'Batch ETL to streaming on Kafka',
        label: 'tech-debt',
        state: 'in_progress',
        persona: 'data engineer',
        benefit: 'data arrives in minutes and nightly jobs stop failing',
        stories: [
          'Orders topic with schema registry',
          'Payments ingestion through Kafka Connect',
          'Replace the nightly inventory Airflow DAG',
          'Consumer lag alerting',
          'Decommission legacy SFTP loads',
        ],
      },
      {
        title: 'Churn prediction features',
        label: 'retention',
        state: 'todo',
        persona: 'customer success manager',
        benefit: 'I can reach at-risk customers before they leave',
        stories: ['Feature store for engagement signals', 'Weekly churn score export', 'Churn model monitoring'],
      },
    ],
    bugs: [
      'Duplicate orders in the daily revenue dashboard',
      'dbt run fails on null currency codes',
      'Late-arriving events dropped by the window job',
      'Weekly KPIs shifted by an hour after DST change',
    ],
    tasks: ['Upgrade dbt to 1.9', 'Rotate Snowflake service account keys', 'Right-size the warehouse for nightly jobs'],
    chores: [
      'Ad-hoc query for the marketing campaign review',
      'Investigate Snowflake cost spike',
      'Tidy up unused schemas',
    ],
    risks: ['Snowflake renewal above budget', 'Kafka cluster disk usage at 80%'],
  },
  {
    shape: 'jira',
    project: 'OPS',
    projectName: 'Platform Operations',
    team: 'Platform Ops',
    cadence: 'kanban',
    weight: 40,
    lead: 'chloe',
    members: ['chloe', 'ravi', 'sam'],
    components: ['kubernetes', 'observability', 'ci-cd', 'security', 'networking'],
    tags: ['infra', 'oncall', 'security'],
    labelOnly: 'klt',
    surface: 'the production cluster',
    epics: [
      {
        title: 'Kubernetes 1.31 upgrade across clusters',
        label: 'tech-debt',
        state: 'in_progress',
        persona: 'platform engineer',
        benefit: 'we stay on a supported Kubernetes version',
        stories: [
          'Upgrade the staging cluster',
          'Replace deprecated pod security policies',
          'Upgrade ingress-nginx',
          'Upgrade production clusters in the EU',
          'Upgrade production clusters in the US',
        ],
      },
      {
        title: 'SOC 2 Type II evidence automation',
        label: 'compliance',
        state: 'in_progress',
        persona: 'compliance manager',
        benefit: 'audit evidence is collected without manual screenshots',
        stories: [
          'Automate access review exports',
          'Collect change-management evidence from CI',
          'Encrypt backups with customer-managed keys',
          'Vulnerability scan reports to the evidence store',
        ],
      },
      {
        title: 'SLOs for tier-1 services',
        label: 'klt',
        state: 'in_progress',
        persona: 'on-call engineer',
        benefit: 'I am paged for what hurts customers, not for noise',
        stories: [
          'Define SLOs for the checkout API',
          'Error budget burn alerts',
          'SLO dashboard in Grafana',
          'Runbooks for the top ten alerts',
        ],
      },
      {
        title: 'Cloud cost optimisation',
        label: 'klt',
        state: 'done',
        persona: 'finance partner',
        benefit: 'the cloud bill grows slower than traffic',
        stories: ['Spot instances for CI runners', 'Rightsize RDS instances', 'Delete orphaned EBS volumes'],
      },
    ],
    bugs: [
      'Intermittent 502s from ingress during deploys',
      'cert-manager failed to renew the wildcard certificate',
      'PagerDuty escalation skips the secondary on-call',
      'Disk pressure evictions on node pool b',
    ],
    tasks: [
      'Rotate database passwords (quarterly)',
      'Patch OpenSSL on bastion hosts',
      'Add new engineer to the on-call rotation',
      'Renew the acme.example domain',
    ],
    chores: [
      'Help the Payments team debug staging DNS',
      'Clean up old Terraform workspaces',
      'New S3 bucket for marketing exports',
    ],
    risks: ['Single NAT gateway in eu-west-1', 'Terraform state in one unversioned bucket'],
  },
  {
    shape: 'ado',
    project: 'Fabrikam',
    projectName: 'Fabrikam Storefront',
    team: 'Checkout',
    area: 'Checkout',
    cadence: 'scrum',
    weight: 60,
    lead: 'emma',
    members: ['emma', 'noah', 'fatima'],
    overloaded: 'noah',
    sprints: {
      active: 12,
      startedDaysAgo: 6,
      goals: [
        'Stackable promo codes live',
        'Promo usage limits and analytics export',
        'Single-page checkout layout behind a flag',
        'Address autocomplete in all EU markets',
        'Apple Pay merchant validation',
        'One-page checkout A/B test running',
        'Google Pay in checkout',
      ],
    },
    components: [],
    tags: ['web', 'api', 'ux', 'experiment'],
    surface: 'the checkout page',
    epics: [
      {
        title: 'One-page checkout',
        label: 'growth',
        state: 'in_progress',
        persona: 'shopper',
        benefit: 'I can pay in under a minute',
        features: ['Single-page checkout layout', 'Address autocomplete'],
        stories: [
          'Collapse shipping and payment into one page',
          'Inline validation of address fields',
          'Address autocomplete with postal lookup',
          'Keep checkout state across a page refresh',
          'A/B test one-page against multi-step checkout',
          'Guest checkout without an account',
        ],
      },
      {
        title: 'Wallet payments (Apple Pay, Google Pay)',
        label: 'growth',
        state: 'in_progress',
        persona: 'mobile web shopper',
        benefit: 'I can pay without typing card details',
        features: ['Apple Pay', 'Google Pay'],
        stories: [
          'Apple Pay button on the product page',
          'Apple Pay merchant validation',
          'Google Pay in checkout',
          'Wallet payments in order confirmation emails',
        ],
      },
      {
        title: 'Checkout reliability and performance',
        label: 'klt',
        state: 'in_progress',
        persona: 'shopper',
        benefit: 'checkout is fast and never loses my order',
        features: ['Checkout performance budget', 'Payment error handling'],
        stories: [
          'Checkout LCP below 2.5 seconds',
          'Retry payment authorisation on gateway timeout',
          'Friendly message for declined cards',
          'Synthetic monitoring of the checkout funnel',
        ],
      },
      {
        title: 'European Accessibility Act readiness for checkout',
        label: 'compliance',
        state: 'todo',
        persona: 'shopper using assistive technology',
        benefit: 'I can buy without a mouse',
        features: ['Keyboard and screen reader support'],
        stories: ['Keyboard-only checkout', 'Screen reader announcements for form errors'],
      },
      {
        title: 'Promo codes v2',
        label: 'retention',
        state: 'done',
        persona: 'marketing manager',
        benefit: 'I can run loyalty campaigns without engineering help',
        features: ['Stackable promotions'],
        stories: ['Stackable promo codes', 'Promo code usage limits per customer', 'Promo analytics export'],
      },
    ],
    bugs: [
      'Tax not recalculated after address change',
      'Double charge when Place order is clicked twice',
      'Promo code field accepts expired codes',
      'Checkout button hidden behind cookie banner on small screens',
      'Order confirmation shows the wrong delivery date',
    ],
    tasks: [
      'Upgrade the payment gateway SDK',
      'Add checkout events to the analytics schema',
      'Rotate the gateway webhook secret',
    ],
    chores: [
      'Investigate support ticket about a missing invoice',
      'Remove old checkout experiments',
      'Prepare checkout demo for the sales kickoff',
    ],
    risks: [
      'Payment gateway ends API v1 support next quarter',
      'Peak season traffic above load-tested levels',
    ],
  },
  {
    shape: 'ado',
    project: 'Fabrikam',
    projectName: 'Fabrikam Storefront',
    team: 'Onboarding',
    area: 'Onboarding',
    cadence: 'scrum',
    weight: 50,
    lead: 'jonas',
    members: ['jonas', 'grace'],
    sprints: {
      active: 18,
      startedDaysAgo: 12,
      goals: [
        'Sign up with Google',
        'Email verification with magic links',
        'ID document upload',
        'Sanctions screening on signup',
        'Interactive product tour',
        'Activation checklist and day-3 nudge',
        'Plan selection during signup',
      ],
    },
    components: [],
    tags: ['web', 'signup', 'kyc', 'email'],
    surface: 'the signup form',
    epics: [
      {
        title: 'Self-serve signup',
        label: 'growth',
        state: 'in_progress',
        persona: 'new customer',
        benefit: 'I can start without talking to sales',
        features: ['Email and social signup', 'Plan selection'],
        stories: [
          'Sign up with Google',
          'Sign up with Apple',
          'Email verification with magic link',
          'Choose a plan during signup',
          'Free trial without a credit card',
        ],
      },
      {
        title: 'KYC identity verification',
        label: 'compliance',
        state: 'in_progress',
        persona: 'compliance officer',
        benefit: 'every business customer is verified before the first payout',
        features: ['Document check', 'Sanctions screening'],
        stories: [
          'Upload an ID document',
          'Liveness check with the vendor SDK',
          'Sanctions list screening on signup',
          'Manual review queue for failed KYC',
        ],
      },
      {
        title: 'Guided first-run experience',
        label: 'retention',
        state: 'in_progress',
        persona: 'new customer',
        benefit: 'I reach my first success in the first session',
        features: ['Product tour', 'Activation checklist'],
        stories: [
          'Interactive product tour',
          'Activation checklist widget',
          'Day-3 nudge email',
          'Time-to-first-value metric',
        ],
      },
      {
        title: 'Team invites and roles',
        label: 'growth',
        state: 'todo',
        persona: 'account owner',
        benefit: 'my whole team can work in one account',
        features: ['Team invites'],
        stories: ['Invite teammates by email', 'Role selection for invitees', 'Bulk invite from CSV'],
      },
    ],
    bugs: [
      'Magic link expires immediately in some mail clients',
      'Signup form loses data on back navigation',
      'KYC vendor callback signature not verified',
      'Tour overlay blocks the close button on mobile',
    ],
    tasks: ['Renew the KYC vendor API key', 'Update the privacy notice for signup', 'Add signup funnel to the dashboard'],
    chores: ["Answer legal's question on ID image retention", 'Clean up test accounts in production'],
    risks: ['KYC vendor throughput below our signup peak', 'New AML directive may require extra checks'],
  },
  {
    shape: 'ado',
    project: 'ERP',
    projectName: 'ERP Migration',
    team: 'ERP Migration',
    area: 'Migration',
    cadence: 'stage-gate',
    weight: 55,
    lead: 'marcus',
    members: ['marcus', 'wei', 'oliver', 'tom'],
    wip: { oliver: [2, 2] },
    components: [],
    tags: ['finance', 'sap', 'data-migration', 'integrator'],
    surface: 'the S/4HANA QA system',
    epics: [
      {
        title: 'Wave 1: Finance on S/4HANA (GL, AP, AR)',
        label: 'tech-debt',
        state: 'in_progress',
        gate: 'G3 Build',
        persona: 'finance controller',
        benefit: 'we close the books in one system',
        features: ['General ledger', 'Accounts payable'],
        stories: [
          'Chart of accounts mapping',
          'Vendor master data migration',
          'AP invoice approval workflow',
          'Bank statement import (camt.053)',
          'Period-end close checklist in S/4',
        ],
      },
      {
        title: 'Wave 2: Procurement and inventory',
        label: 'tech-debt',
        state: 'todo',
        gate: 'G1 Scope',
        persona: 'buyer',
        benefit: 'requisitions and stock live in the same system as finance',
        features: ['Purchase requisitions'],
        stories: [
          'Purchase requisition approval matrix',
          'Goods receipt on handheld scanners',
          'Inventory valuation method decision',
        ],
      },
      {
        title: 'Data migration and cutover',
        label: 'tech-debt',
        state: 'in_progress',
        gate: 'G3 Build',
        persona: 'finance controller',
        benefit: 'opening balances match the legacy ledger to the cent',
        features: ['Mock loads', 'Cutover plan'],
        stories: [
          'Mock load 1: customers and vendors',
          'Mock load 2: open items',
          'Reconciliation reports for migrated balances',
          'Cutover runbook and rehearsal',
          'Archive legacy ERP data',
        ],
      },
      {
        title: 'Statutory reporting and e-invoicing',
        label: 'compliance',
        state: 'in_progress',
        gate: 'G2 Design',
        persona: 'tax manager',
        benefit: 'we file and invoice correctly in every country',
        features: ['E-invoicing'],
        stories: ['E-invoicing for Italy (SDI)', 'SAF-T export for Portugal', 'VAT return reports'],
      },
      {
        title: 'ERP discovery and business case',
        label: 'tech-debt',
        state: 'done',
        gate: 'G5 Closed',
        persona: 'CFO',
        benefit: 'the migration is funded on a sound business case',
        features: ['Vendor selection'],
        stories: ['Fit-gap workshops with finance', 'Integrator selection RFP', 'Business case for the steering committee'],
      },
    ],
    bugs: [
      'Rounding differences in migrated AP balances',
      'Duplicate vendors after mock load',
      'December invoices posted to the wrong period',
    ],
    tasks: [
      'Book the cutover weekend with finance',
      'Provision the S/4 QA system',
      'Sign the data processing agreement with the integrator',
    ],
    chores: ['Licence true-up question from procurement', 'Update the steering committee deck'],
    risks: [
      'Integrator staffing gap during the build phase',
      'Finance key users unavailable during year-end close',
      'Custom code remediation larger than estimated',
    ],
  },
];

/** Work items in the portfolio when `size` is not configured. */
export const DEFAULT_SIZE = TEAMS.reduce((sum, t) => sum + t.weight, 0);

export function adoProjectOrdinal(teamIndex: number): number {
  return TEAMS.slice(0, teamIndex).filter((t) => t.shape === 'ado').length;
}

/** The native key of a team's n-th item (0-based); epics come first, then ADO features. */
export function nativeKeyOf(team: TeamSeed, projectKey: string, adoOrdinal: number, local: number): string {
  if (team.shape === 'jira') return `${projectKey}-${local + 1}`;
  return String(ADO_FIRST_ID + adoOrdinal * ADO_ID_BLOCK + local);
}

export interface DemoEpic {
  key: string;
  project: string;
  team: string;
  title: string;
  label: ObjectiveLabel;
  state: ContainerState;
  features: { key: string; title: string }[];
}

export interface DemoProject {
  project: string;
  shape: Shape;
  methodology: Cadence;
  teams: string[];
  areaPaths: string[];
}

function describeEpics(): DemoEpic[] {
  const out: DemoEpic[] = [];
  for (const [t, team] of TEAMS.entries()) {
    const ado = adoProjectOrdinal(t);
    let next = team.epics.length;
    for (const [e, epic] of team.epics.entries()) {
      const features = (epic.features ?? []).map((title) => ({ key: nativeKeyOf(team, team.project, ado, next++), title }));
      out.push({
        key: nativeKeyOf(team, team.project, ado, e),
        project: team.project,
        team: team.team,
        title: epic.title,
        label: epic.label,
        state: epic.state,
        features,
      });
    }
  }
  return out;
}

function describeProjects(): DemoProject[] {
  const out: DemoProject[] = [];
  for (const team of TEAMS) {
    const found = out.find((p) => p.project === team.project);
    const areaPath = team.area ? `${team.project}\\${team.area}` : null;
    if (found) {
      found.teams.push(team.team);
      if (areaPath) found.areaPaths.push(areaPath);
      continue;
    }
    out.push({
      project: team.project,
      shape: team.shape,
      methodology: team.cadence,
      teams: [team.team],
      areaPaths: areaPath ? [areaPath] : [],
    });
  }
  return out;
}

/** The demo company at the default size, for demo configs (objectives by epic and label, routes by project). */
export const DEMO_COMPANY = {
  name: 'Acme Retail Group (Acme on Jira, Contoso on Azure DevOps)',
  jiraBaseUrl: JIRA_BASE_URL,
  adoOrgUrl: ADO_ORG_URL,
  objectiveLabels: OBJECTIVE_LABELS,
  projects: describeProjects(),
  epics: describeEpics(),
  people: Object.values(PEOPLE).length,
} as const;
