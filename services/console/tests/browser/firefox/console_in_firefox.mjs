// The web console in Firefox: Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi
// (Firefox speaks it natively; no geckodriver, no patched build). Run by
// ../test_console_in_firefox.py against the embedded platform of the browser tests:
//
//   LOTSE_BASE_URL=http://localhost:PORT LOTSE_PASSWORD=... LOTSE_FIREFOX=/usr/bin/firefox-esr \
//     node console_in_firefox.mjs
//
// It only drives the browser and reports what the pages show, as one JSON object on stdout; the
// pytest test asserts it. A step that cannot be done (a link or field missing, a page that does
// not load within the timeout) ends the script with exit status 1 and the reason on stderr.

import puppeteer from 'puppeteer-core';

const base = process.env.LOTSE_BASE_URL;
const password = process.env.LOTSE_PASSWORD;
const executablePath = process.env.LOTSE_FIREFOX || '/usr/bin/firefox-esr';
if (!base || !password) {
  console.error('LOTSE_BASE_URL and LOTSE_PASSWORD must be set');
  process.exit(2);
}

const report = {browser: null, pages: [], errors: [], failedRequests: [], httpErrors: []};

const browser = await puppeteer.launch({
  browser: 'firefox',
  executablePath,
  headless: true,
  protocol: 'webDriverBiDi',
  extraPrefsFirefox: {'intl.accept_languages': 'de-DE, de', 'intl.locale.requested': 'de-DE'},
});

try {
  report.browser = await browser.version();
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  await page.setViewport({width: 1280, height: 900});
  page.on('console', (message) => {
    if (message.type() === 'error') report.errors.push(`console: ${message.text()} (${page.url()})`);
  });
  page.on('pageerror', (error) => report.errors.push(`page: ${error.message} (${page.url()})`));
  page.on('requestfailed', (request) => report.failedRequests.push(
    `${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`));
  page.on('response', (response) => {
    if (response.status() >= 400) {
      report.httpErrors.push({method: response.request().method(),
                              path: new URL(response.url()).pathname, status: response.status()});
    }
  });

  const text = (selector) => page.$eval(selector, (e) => e.textContent.replace(/\s+/g, ' ').trim());
  const texts = (selector) => page.$$eval(
    selector, (all) => all.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
  // the labels of the form fields, each with whether its field exists
  const labels = () => page.$$eval('label', (all) => all.map((label) => ({
    text: label.textContent.replace(/\s+/g, ' ').trim(),
    field: Boolean(label.control),
  })));

  async function snapshot(step, extra = {}) {
    const entry = {
      step,
      path: new URL(page.url()).pathname + new URL(page.url()).search,
      h1: await text('h1'),
      h2: await texts('h2'),
      ...extra,
    };
    report.pages.push(entry);
    return entry;
  }

  async function follow(handle) {
    await Promise.all([page.waitForNavigation({waitUntil: 'load'}), handle.click()]);
  }

  // the first link (in scope) whose text starts with `name`: clicked as a user clicks it
  async function link(scope, name) {
    for (const handle of await page.$$(`${scope} a`)) {
      const label = await handle.evaluate((e) => e.textContent.replace(/\s+/g, ' ').trim());
      if (label.startsWith(name)) return handle;
    }
    throw new Error(`no link "${name}" in ${scope} on ${page.url()}`);
  }

  async function button(name) {
    for (const handle of await page.$$('button')) {
      const label = await handle.evaluate((e) => e.textContent.replace(/\s+/g, ' ').trim());
      if (label.startsWith(name)) return handle;
    }
    throw new Error(`no button "${name}" on ${page.url()}`);
  }

  async function selectByText(selector, optionText) {
    const value = await page.$eval(selector, (select, wanted) => {
      const option = [...select.options].find((o) => o.textContent.trim() === wanted);
      return option ? option.value : null;
    }, optionText);
    if (value === null) throw new Error(`no option "${optionText}" in ${selector}`);
    await page.select(selector, value);
  }

  async function logIn(username) {
    await page.goto(`${base}/`, {waitUntil: 'load'});
    await snapshot('start');
    await follow(await link('main', 'Anmelden'));
    await snapshot('login', {labels: await labels()});
    await page.type('input[name=username]', username);
    await page.type('input[name=password]', password);
    await follow(await button('Anmelden'));
  }

  async function logOut() {
    await follow(await button('Abmelden'));
    await snapshot('logged out');
  }

  // a case manager: Mein Tag, Meine Fälle, a case file, the first-contact form refused at a field
  await logIn('cm.hoexter');
  await snapshot('my day', {navigation: await texts('nav[aria-label=Hauptnavigation] a')});
  await follow(await link('nav[aria-label=Hauptnavigation]', 'Meine Fälle'));
  await snapshot('my cases', {rows: (await page.$$('tbody tr')).length});
  await follow(await link('main table', 'Fallakte'));
  await snapshot('case file');
  await follow(await link('nav[aria-label=Hauptnavigation]', 'Erstkontakt erfassen'));
  await snapshot('first contact', {labels: await labels()});
  // everything but the family name
  await page.type('#feld-person-given_name', 'Amina');
  await page.select('#feld-access_path', 'self_referral');
  await selectByText('#feld-area_id', 'Höxter');
  await follow(await button('Erstkontakt speichern'));
  const invalid = await page.$$eval('[aria-invalid=true]', (all) => all.map((e) => e.id));
  await snapshot('first contact refused', {
    summary: await text('.error-summary[role=alert]'),
    summaryLinks: await page.$$eval('.error-summary a', (all) => all.map((a) => a.getAttribute('href'))),
    invalid,
    fieldErrors: await page.$$eval('.field-invalid', (all) => all.map((field) => ({
      label: field.querySelector('label').textContent.replace(/\s+/g, ' ').trim(),
      error: field.querySelector('.field-error').textContent.replace(/\s+/g, ' ').trim(),
      describedBy: field.querySelector('input, select, textarea').getAttribute('aria-describedby'),
      errorId: field.querySelector('.field-error').id,
    }))),
    givenName: await page.$eval('#feld-person-given_name', (e) => e.value),
  });
  await logOut();

  // the coordinating office: Berichte
  await logIn('ks.koch');
  await snapshot('office start');
  await follow(await link('nav[aria-label=Hauptnavigation]', 'Berichte'));
  await snapshot('reports', {downloads: await texts('section[aria-labelledby=downloads] a')});
  await logOut();
} catch (error) {
  console.error(`${error.stack || error}\npages so far: ${JSON.stringify(report, null, 1)}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
if (!process.exitCode) console.log(JSON.stringify(report));
