//! The web view tuned for a single-page desk app (WebKitGTK, Linux only): drawn without GPU
//! compositing and without WebKit's page and resource caches. The UI is tables, forms and small
//! SVG charts, which need neither; compositing alone costs the web process ~100 MB where the
//! desktop's GL is software (virtual machines, remote desktops), see scripts/measure.sh.

use tauri::Manager;

pub fn tune<R: tauri::Runtime>(app: &tauri::App<R>) {
    let Some(window) = app.get_webview_window("main") else { return };
    if let Err(err) = window.with_webview(|webview| lighten(&webview.inner())) {
        log::warn!("could not tune the web view: {err}");
    }
}

fn lighten(view: &webkit2gtk::WebView) {
    use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt};
    if let Some(settings) = WebViewExt::settings(view) {
        settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        settings.set_enable_page_cache(false);
    }
    if let Some(context) = view.context() {
        context.set_cache_model(CacheModel::DocumentViewer);
    }
}
