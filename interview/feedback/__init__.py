"""End-of-interview feedback: scores computed from the interviewer's notes, worded by a capable model if there is one.

One job per module: `evidence` (the scores and their quotes, from the notes), `rules` (the card for an interview
with too little to assess), `prompt`, `json_repair` and `normalise` (reading a model's wording of strengths and
gaps), `generate` (the whole step), and `progress` (scores over time).
"""
