// The simulated hardware: sim::Led's light ramps up after on(), and sim::Camera's frames are as
// bright as the light that fell on them during the exposure.
#include "support.hpp"

#include <algorithm>
#include <string>
#include <vector>

using namespace acm_test;

namespace {

acm::Task<acm::sim::Frame> shoot_at(acm::sim::Camera& camera, acm::Duration when) {
    co_await acm::sleep_for(when - acm::current_loop().now().time_since_epoch());
    co_return co_await camera.snapshot();
}

}  // namespace

TEST_CASE("the LED is dark until on(), then its light ramps up linearly over 40 ms and holds") {
    acm::sim::Led led;
    std::vector<double> levels;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::sleep_for(100ms);
        CHECK_FALSE(led.is_on());
        levels.push_back(led.illumination());
        led.on();
        CHECK(led.is_on());
        for (int i = 0; i < 6; ++i) {
            levels.push_back(led.illumination());
            co_await acm::sleep_for(10ms);
        }
        CHECK(acm::to_ms(led.switched_at()) == 100.0);
        CHECK(acm::to_ms(led.settled_at()) == 140.0);
    }());
    CHECK(levels == std::vector<double>{0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0});
}

TEST_CASE("off() makes the LED dark at once, and switching it again ramps up from dark") {
    acm::sim::Led led;
    std::vector<double> levels;
    acm::run([&]() -> acm::Task<void> {
        led.on();
        co_await acm::sleep_for(100ms);
        levels.push_back(led.illumination());
        led.off();
        levels.push_back(led.illumination());
        co_await acm::sleep_for(10ms);
        led.on();
        co_await acm::sleep_for(20ms);
        levels.push_back(led.illumination());
    }());
    CHECK(levels == std::vector<double>{1.0, 0.0, 0.5});
    CHECK(led.switch_count() == 3);
}

TEST_CASE("switching an LED to the state it is already in changes nothing") {
    acm::sim::Led led;
    acm::trace::Recorder rec;
    acm::run([&]() -> acm::Task<void> {
        led.off();
        led.on();
        co_await acm::sleep_for(30ms);
        led.on();  // must not restart the ramp
        CHECK(led.illumination() == 0.75);
    }());
    CHECK(led.switch_count() == 1);
    CHECK(rec.events("led").size() == 1);
}

TEST_CASE("a snapshot takes the exposure time and the frame is stamped at its end") {
    acm::sim::Led led;
    acm::sim::Camera camera{"camera", led};
    acm::sim::Frame frame;
    double returned_at = -1;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::sleep_for(25ms);
        frame = co_await camera.snapshot();
        returned_at = now_ms();
    }());
    CHECK(acm::to_ms(frame.taken_at) == 35.0);
    CHECK(acm::to_ms(frame.exposure) == 10.0);
    CHECK(returned_at == 35.0);
    CHECK(frame.width == acm::sim::Camera::width);
    CHECK(frame.height == acm::sim::Camera::height);
    CHECK(frame.pixels.size() == std::size_t(frame.width * frame.height));
    CHECK(camera.captures() == 1);
}

TEST_CASE("a frame taken before the LED settled is darker than one taken after, and darkest with the LED off") {
    acm::sim::Led led;
    acm::sim::Camera camera{"camera", led};
    acm::sim::Frame dark, ramping, settled;
    acm::run([&]() -> acm::Task<void> {
        dark = co_await camera.snapshot();  // 0..10 ms, LED off
        led.on();                           // at 10 ms: settles at 50 ms
        ramping = co_await shoot_at(camera, 15ms);
        settled = co_await shoot_at(camera, 60ms);
    }());
    CAPTURE(dark.brightness());
    CAPTURE(ramping.brightness());
    CAPTURE(settled.brightness());
    CHECK(dark.illumination == doctest::Approx(acm::sim::Camera::ambient));
    CHECK(settled.illumination == doctest::Approx(1.0));
    // Exposed from 15 to 25 ms, while the light rose from 12.5 % to 37.5 %: about a quarter.
    CHECK(ramping.illumination == doctest::Approx(0.06 + 0.94 * 0.25).epsilon(0.01));
    CHECK(dark.brightness() < ramping.brightness());
    CHECK(ramping.brightness() < 0.5 * settled.brightness());
    CHECK(settled.brightness() > 0.6);
}

TEST_CASE("a camera without a light sees only the dim room") {
    acm::sim::Camera camera;
    acm::sim::Frame frame = acm::run(camera.snapshot());
    CHECK(frame.illumination == doctest::Approx(acm::sim::Camera::ambient));
    CHECK(frame.brightness() < 0.1);
}

TEST_CASE("frames are the same in every run: the simulation is deterministic") {
    auto shoot = []() {
        acm::sim::Led led;
        acm::sim::Camera camera{"camera", led};
        return acm::run([&]() -> acm::Task<acm::sim::Frame> {
            led.on();
            co_await acm::sleep_for(7ms);
            co_return co_await camera.snapshot();
        }());
    };
    acm::sim::Frame a = shoot(), b = shoot();
    CHECK(a.pixels == b.pixels);
    CHECK(a.brightness() > 0.0);
}

TEST_CASE("the LED and the camera are traced with the light curve and the frame's pixels") {
    acm::trace::Recorder rec;
    acm::sim::Led led{"spot"};
    acm::sim::Camera camera{"cam", led};
    acm::run([&]() -> acm::Task<void> {
        co_await acm::sleep_for(10ms);
        led.on();
        co_await camera.snapshot();
        led.off();
    }());
    auto leds = rec.events("led");
    REQUIRE(leds.size() == 2);
    CHECK(field(leds[0], "led") == quoted("spot"));
    CHECK(field(leds[0], "on") == "true");
    CHECK(field(leds[0], "t_ms") == "10");
    CHECK(field(leds[0], "curve") == "[[10,0],[50,1]]");
    CHECK(field(leds[1], "on") == "false");
    CHECK(field(leds[1], "curve") == "[[20,0]]");

    auto captures = rec.events("capture");
    REQUIRE(captures.size() == 1);
    const auto& c = captures[0];
    CHECK(field(c, "camera") == quoted("cam"));
    CHECK(field(c, "t_ms") == "20");
    CHECK(field(c, "start_ms") == "10");
    CHECK(field(c, "exposure_ms") == "10");
    CHECK(field(c, "width") == "32");
    CHECK(field(c, "height") == "24");
    std::string pixels = field(c, "pixels");
    CHECK(std::count(pixels.begin(), pixels.end(), ',') == 32 * 24 - 1);
    CHECK(std::stod(field(c, "brightness")) > 0.0);
}
