"""The web app's tabs (bot/app/ui.py builds the app from them): one module per tab, each with
its layout (`layout`) and its events (`wire`); `shared` holds what every tab reads."""
