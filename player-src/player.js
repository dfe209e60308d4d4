// The player page's script, bundled with hls.js at synth by stacks/lib/player-bundle.ts.
// It reads ?asset=<assetId>, finds the asset's outputs at the paths the pipeline writes them
// (<assetId>/hls/<slug>.m3u8, <assetId>/thumbnails/<slug>_thumb.NNNNNNN.jpg), and plays the HLS
// master with hls.js. Everything is same-origin: the page's CSP allows nothing else.
import Hls from 'hls.js';
import { THUMBNAIL_NAME_MODIFIER, posterThumbnailIndex } from '../contracts/storage-layout';

/** What tests and curious users can read from the console: window.vodPlayer. */
const state = { asset: null, hls: null, levels: [], errors: [], fatal: null };
window.vodPlayer = state;

const video = document.getElementById('video');
const status = document.getElementById('status');
const renditions = document.getElementById('renditions');

function fail(message) {
  state.fatal = message;
  status.textContent = message;
  status.className = 'error';
}

const asset = new URLSearchParams(window.location.search).get('asset') ?? '';
// The asset id the pipeline derives: a slug of the file name plus 12 hex digits of the upload.
const match = /^([a-z0-9]+(?:-[a-z0-9]+)*)-([0-9a-f]{12})$/.exec(asset);
if (!match) {
  fail('No asset: open this page as /player/index.html?asset=<assetId>.');
} else {
  state.asset = asset;
  const slug = match[1];
  const base = `/${asset}`;
  const master = `${base}/hls/${slug}.m3u8`;

  // The poster is the thumbnail the pipeline picks (posterThumbnailIndex, the rule the notifications use):
  // the page learns how many thumbnails there are with HEAD requests (a doubling, then a bisection).
  const thumbnail = (i) => `${base}/thumbnails/${slug}${THUMBNAIL_NAME_MODIFIER}.${String(i).padStart(7, '0')}.jpg`;
  const exists = async (i) => (await fetch(thumbnail(i), { method: 'HEAD' })).ok;
  const thumbnailCount = async () => {
    if (!(await exists(0))) return 0;
    let present = 0;
    let absent = 1;
    while (await exists(absent)) [present, absent] = [absent, absent * 2];
    while (absent - present > 1) {
      const middle = Math.floor((present + absent) / 2);
      if (await exists(middle)) present = middle;
      else absent = middle;
    }
    return present + 1;
  };
  thumbnailCount()
    .then((count) => {
      if (count === 0) return;
      const poster = thumbnail(posterThumbnailIndex(count));
      video.poster = poster;
      state.poster = poster;
    })
    .catch(() => undefined);

  if (!Hls.isSupported()) {
    fail('This browser has no Media Source Extensions: hls.js cannot play here.');
  } else {
    // No worker: the page's CSP allows no blob: workers.
    const hls = new Hls({ enableWorker: false, capLevelToPlayerSize: false });
    state.hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, (_event, data) => {
      state.levels = data.levels.map((level) => ({ width: level.width, height: level.height, bitrate: level.bitrate }));
      const auto = document.createElement('option');
      auto.value = '-1';
      auto.textContent = 'Auto';
      renditions.append(auto);
      data.levels.forEach((level, index) => {
        const option = document.createElement('option');
        option.value = String(index);
        option.textContent = `${level.width}×${level.height} · ${Math.round(level.bitrate / 1000)} kb/s`;
        renditions.append(option);
      });
      renditions.disabled = false;
      status.textContent = `${data.levels.length} renditions`;
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => {
      const level = hls.levels[data.level];
      if (level) status.textContent = `Playing ${level.width}×${level.height}`;
    });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      state.errors.push({ type: data.type, details: data.details, fatal: data.fatal });
      if (data.fatal) fail(`Playback failed: ${data.type} ${data.details}`);
    });
    renditions.addEventListener('change', () => {
      hls.currentLevel = Number(renditions.value);
    });
    hls.loadSource(master);
    hls.attachMedia(video);
  }
}
