"""Demo data for the seed_demo command, a module per domain, seeded in this order:
`conversations` (projects, organizations, people, conversations and consent), `transcripts`
(recordings with transcript lines, no audio) and `insights` (highlights, insights, features
and their links)."""
