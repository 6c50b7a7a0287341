"""The referral network's records (directory, referrals, agreements, meetings, knowledge base)
live in their own modules beside this one as they are built; this module holds what they
share."""
