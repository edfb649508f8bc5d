// Start the NHS.UK frontend components. Loaded as a module, so only browsers that support
// modules run it; those get the "supported" class the frontend's CSS keys on.
const frontend = document.querySelector("script[data-nhsuk-frontend]");

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");

if (frontend) {
  const { initAll } = await import(frontend.dataset.nhsukFrontend);
  initAll();
}
