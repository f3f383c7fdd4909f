"""Payments of the marketplace: VietQR codes and the bank-transaction webhook that marks transfers
paid, and Stripe Checkout (an optional gateway) with its webhook. Each outside service sits behind
one module here; the rest of the app calls these functions only."""
