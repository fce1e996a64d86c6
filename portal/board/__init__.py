"""The Q&A board: questions, answers, comments, votes, tags, follows, revisions."""
