"""The demo program at a size for measuring: `openprm demo --size small|medium|large`.

The named demo (its twelve partners and fixed logins) is loaded first, then `build` adds
partners, people, customers, opportunities with their shared deals and referrals,
subscriptions, the points ledger and goal-plan tasks up to the size's totals. Partner sizes
follow a power law, Northwind Traders first, so the biggest partners hold tens of thousands of
opportunities at `large` while most hold a few hundred. Rows are written in batches by
`BulkWriter` (COPY on PostgreSQL), with ids given out here, so one seed gives the same program
every time; the added rows carry no history (their audit trail starts with the next change).
"""
