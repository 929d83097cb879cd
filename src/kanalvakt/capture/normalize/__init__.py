"""Platform normalisers: recorded API responses → CapturedItem / CaptureError /
Skipped. One module per platform; no Django, no network."""
