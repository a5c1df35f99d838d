//! Photos through the real CLI: the seed's rules judged by content, --fix, EXIF orientation, folders and zips.

use std::io::Write;
use std::path::Path;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageBuffer, ImageFormat, Rgb};
use skillcert_fixtures::samples;
use skillcert_tests::{Agency, Run};

const ZHANG: &str = "11010519491231002X";
const LI: &str = "110105198001010016";
const OUYANG: &str = "32010219900307152X";

skillcert_tests::agency_env!();

impl Env {
    /// An agency with the 6 sample candidates.
    fn new() -> Env {
        let env = Env(Agency::new());
        let roster = env.path("roster.xlsx");
        samples::title_and_aliases(&roster).unwrap();
        assert_eq!(env.run(&["import", "candidates", roster.to_str().unwrap()]).code, 0);
        env
    }

    fn set(&self, id: &str, file: &Path, fix: bool) -> Run {
        let mut args = vec!["photo", "set", "--id-number", id, file.to_str().unwrap(), "--json"];
        if fix {
            args.push("--fix");
        }
        self.run(&args)
    }
}

fn picture(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(ImageBuffer::from_fn(width, height, |x, y| {
        Rgb([(x * 7 % 256) as u8, (y * 3 % 256) as u8, 200])
    }))
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    picture(width, height).write_with_encoder(JpegEncoder::new_with_quality(&mut out, 90)).unwrap();
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    picture(width, height).write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A JPEG whose EXIF says "rotate 90° clockwise" (how phones store portrait photos).
fn rotated_jpeg(width: u32, height: u32) -> Vec<u8> {
    let plain = jpeg(width, height);
    let tiff: Vec<u8> = [
        b"II*\0".as_slice(),
        &8u32.to_le_bytes(),
        &1u16.to_le_bytes(),
        &[0x12, 0x01, 3, 0],
        &1u32.to_le_bytes(),
        &[6, 0, 0, 0],
        &0u32.to_le_bytes(),
    ]
    .concat();
    let payload = [b"Exif\0\0".as_slice(), &tiff].concat();
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&plain[2..]);
    out
}

#[test]
fn one_photo_is_checked_by_content_and_fixed_on_request() {
    let env = Env::new();
    let ok = env.path("ok.jpg");
    std::fs::write(&ok, jpeg(300, 400)).unwrap();
    let run = env.set(ZHANG, &ok, false);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!((run.json()["width"].as_u64(), run.json()["fixed"].as_bool()), (Some(300), Some(false)));

    let big = env.path("big.jpg");
    std::fs::write(&big, jpeg(1200, 1600)).unwrap();
    let refused = env.set(LI, &big, false);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("1200×1600") && refused.stderr.contains("--fix"), "{}", refused.stderr);
    let fixed = env.set(LI, &big, true);
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
    let j = fixed.json();
    assert_eq!((j["width"].as_u64(), j["height"].as_u64(), j["fixed"].as_bool()), (Some(500), Some(667), Some(true)));

    // A GIF named .jpg is judged by what it is.
    let gif = env.path("fake.jpg");
    std::fs::write(&gif, b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").unwrap();
    let run = env.set(ZHANG, &gif, false);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("jpg 或 png"), "{}", run.stderr);

    // A phone photo stored sideways is turned upright.
    let sideways = env.path("sideways.jpg");
    std::fs::write(&sideways, rotated_jpeg(400, 300)).unwrap();
    let run = env.set(OUYANG, &sideways, false);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let j = run.json();
    assert_eq!((j["width"].as_u64(), j["height"].as_u64(), j["turned"].as_bool()), (Some(300), Some(400), Some(true)));

    let audit = env.run(&["audit", "list", "--id-number", LI, "--json"]).json();
    let last = audit.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "上传照片");
    assert!(last["detail"].as_str().unwrap().contains("保留原图"));
}

fn files() -> Vec<(String, Vec<u8>)> {
    vec![
        (format!("{ZHANG}.jpg"), jpeg(300, 400)),
        (format!("{}.PNG", LI.to_lowercase()), png(295, 413)),
        ("123456789012345678.jpg".into(), jpeg(300, 400)),
        (format!("{OUYANG}.jpeg"), jpeg(900, 1200)),
        ("说明.txt".into(), "照片按证件号码命名".as_bytes().to_vec()),
    ]
}

fn check_report(run: &Run, fixed: bool) {
    let j = run.json();
    let imported = j["imported"].as_array().unwrap();
    let unmatched: Vec<&str> = j["unmatched"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(unmatched, ["123456789012345678.jpg", "说明.txt"]);
    if fixed {
        assert_eq!((imported.len(), j["rejected"].as_array().unwrap().len()), (3, 0));
    } else {
        assert_eq!(imported.len(), 2);
        let rejected = &j["rejected"][0];
        assert_eq!(rejected["file"], format!("{OUYANG}.jpeg"));
        assert!(rejected["reason"].as_str().unwrap().contains("900×1200"));
    }
}

#[test]
fn a_folder_or_a_zip_of_photos_named_by_id_number() {
    let env = Env::new();
    let dir = env.path("photos");
    std::fs::create_dir(&dir).unwrap();
    for (name, bytes) in files() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let run = env.run(&["photo", "import", dir.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    check_report(&run, false);

    let zip_path = env.path("photos.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in files() {
        zip.start_file(format!("考生照片/{name}"), options).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap();
    let run = env.run(&["photo", "import", zip_path.to_str().unwrap(), "--fix", "--json"]);
    check_report(&run, true);

    // Not a folder and not a zip: one clear error, exit 2.
    let not_zip = env.path("photos.rar");
    std::fs::write(&not_zip, b"Rar!\x1a\x07\x00").unwrap();
    let run = env.run(&["photo", "import", not_zip.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("zip"), "{}", run.stderr);
}

#[test]
fn an_oversized_entry_in_a_zip_is_refused_without_unpacking_it() {
    let env = Env::new();
    let zip_path = env.path("bomb.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file(format!("{ZHANG}.jpg"), options).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..40 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    assert!(std::fs::metadata(&zip_path).unwrap().len() < 1 << 20, "a small file that unpacks to 40 MB");
    let run = env.run(&["photo", "import", zip_path.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 3);
    assert!(run.json()["rejected"][0]["reason"].as_str().unwrap().contains("30 MB"), "{}", run.stdout);
}
