"""Demo data. `foundation.seed` fills the basics; other modules here extend it with a
`seed(*, team, users, conversations)` function that the seed_demo command calls in turn."""
