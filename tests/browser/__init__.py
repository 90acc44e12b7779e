"""End-to-end tests: a real `streamlit run` driven by headless Chromium through Playwright."""
